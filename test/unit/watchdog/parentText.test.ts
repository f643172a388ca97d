import { describe, expect, it } from 'vitest';
import { englishText } from '../../../src/watchdog/notificationText';
import { parentText } from '../../../src/watchdog/parentText';

const code = (comm: string): string => `<${comm}>`;

describe('parentText: the one wording of a parent, escaped by the sink', () => {
  it('names a read parent with its PID, or alone where the sentence has a PID', () => {
    const of = { parent: { pid: 1, comm: 'tini' }, ppid: 1 };
    expect(parentText(of, englishText, code)).toBe('<tini> (PID 1)');
    expect(parentText(of, englishText, code, false)).toBe('<tini>');
  });

  it('ppid 0 is a process outside this PID namespace; an unread parent is its PID', () => {
    expect(parentText({ parent: null, ppid: 0 }, englishText, code)).toBe(
      'a process outside this PID namespace',
    );
    expect(parentText({ parent: null, ppid: 4242 }, englishText, code, false)).toBe('PID 4242');
  });

  it('the comm passes the sink escaping, and only the comm', () => {
    const of = { parent: { pid: 7, comm: '[a](command:x)' }, ppid: 7 };
    expect(
      parentText(
        of,
        (m, ...a) => `T:${englishText(m, ...a)}`,
        (c) => c.toUpperCase(),
      ),
    ).toBe('T:[A](COMMAND:X) (PID 7)');
  });
});
