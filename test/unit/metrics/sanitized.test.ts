// The exporter's outside text goes through the shared sanitizer (src/watchdog/sanitize.ts):
// label values and annotations cannot carry controls, bidi or zero-width characters, and are
// capped. (The sanitizer's own tables and properties are in test/unit/watchdog/sanitize.test.ts.)
import { describe, expect, it } from 'vitest';
import { processRow } from '../../../src/metrics/model';
import { buildSignals } from '../../../src/watchdog/signals';
import { makeSample } from '../../helpers/samples';

const row = (over: Parameters<typeof makeSample>[0]) =>
  processRow(buildSignals([makeSample(over)], { ageMinutes: 0, orphansOnly: false })[0]!, {
    exposeCmdline: true,
  });

describe('exported outside text', () => {
  it('command lines: escaped and capped at 200 characters', () => {
    const r = row({ argv: ['pytest', '\u202Eevil', '\u200B', '\x1b]0;title\x07', 'x'.repeat(5000)] });
    expect(r.command).toMatch(/^pytest \\u\{202E\}evil \\u\{200B\} "?\\x1B\]0;title\\x07/);
    expect(r.command?.length).toBe(200);
    expect(r.command?.endsWith('…')).toBe(true);
  });

  it('program (the pattern) and container id: escaped and capped at 64', () => {
    const r = row({ pattern: `py\u202Etest${'p'.repeat(100)}`, containerId: `c\nd${'0'.repeat(100)}` });
    expect(r.program.startsWith('py\\u{202E}test')).toBe(true);
    expect(r.program).toHaveLength(64);
    expect(r.container.startsWith('c\\nd')).toBe(true);
    expect(r.container).toHaveLength(64);
  });
});
