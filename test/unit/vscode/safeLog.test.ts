// The log wrapper (src/vscode/safeLog.ts) and the other vscode-side guards that need no VS Code:
// what a log line, a command argument and a restricted setting turn into.
import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { logText, sanitizingLog } from '../../../src/vscode/safeLog';
import { effectiveValue, RESTRICTED } from '../../../src/vscode/settingsText';

describe('logText', () => {
  it('one line per call: no raw control, no forged line, capped', () => {
    const text = logText('kill 1:2 \u001b[2J', [{ reason: 'a\nFAKE' }, new Error('bad\npath\u202e')]);
    const [head, ...frames] = text.split('\n');
    expect(head).toContain('kill 1:2 \\x1B[2J');
    expect(head).toContain(String.raw`{"reason":"a\nFAKE"}`);
    expect(head).toContain('Error: bad\\npath\\u{202E}');
    for (const frame of frames) expect(frame).toMatch(/^ {4}at /);
    expect(logText('x'.repeat(200_000)).length).toBeLessThanOrEqual(4000);
  });

  it('sanitizingLog passes sanitized text to the channel and delegates the rest', () => {
    const written: string[] = [];
    const channel = {
      name: 'Proc Watchdog',
      logLevel: 2,
      onDidChangeLogLevel: () => ({ dispose: () => undefined }),
      info: (m: string) => void written.push(`info ${m}`),
      warn: (m: string) => void written.push(`warn ${m}`),
      error: (m: string) => void written.push(`error ${m}`),
      appendLine: (m: string) => void written.push(`line ${m}`),
      show: () => void written.push('show'),
    } as unknown as vscode.LogOutputChannel;
    const log = sanitizingLog(channel);
    log.info('a\u0007b', 'c\nd');
    log.error(new Error('e\u009bf'));
    log.appendLine('one\ntwo\u001b');
    log.show();
    expect(written).toEqual([
      'info a\\x07b c\\nd',
      expect.stringMatching(/^error Error: e\\x9Bf/),
      'line one\ntwo\\x1B',
      'show',
    ]);
    expect(log.name).toBe('Proc Watchdog');
  });
});

describe('restricted settings in an untrusted workspace', () => {
  it('patterns, reapers, procRoot and envFile are restricted', () => {
    expect([...RESTRICTED].sort()).toEqual(['envFile', 'patterns', 'procRoot', 'reapers']);
  });

  it.each([...RESTRICTED])('%s: the workspace value counts only when trusted', (key) => {
    const seen = { globalValue: ['user'], workspaceValue: ['repo'], workspaceFolderValue: undefined };
    expect(effectiveValue(key, seen, true)).toEqual({ value: ['repo'], ignored: false });
    expect(effectiveValue(key, seen, false)).toEqual({ value: ['user'], ignored: true });
    expect(effectiveValue(key, { workspaceFolderValue: ['f'] }, false)).toEqual({
      value: undefined,
      ignored: true,
    });
  });

  it('an unrestricted key takes the workspace value even when untrusted (it is warned about if bad)', () => {
    expect(effectiveValue('cooldownSeconds', { workspaceValue: '[x](command:y)' }, false)).toEqual({
      value: '[x](command:y)',
      ignored: false,
    });
  });
});
