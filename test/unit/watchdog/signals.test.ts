import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import { makeSample } from '../../helpers/samples';
import { buildSignals, isBlocking } from '../../../src/watchdog/signals';
import { formatAge, formatBytes, shortCommand } from '../../../src/watchdog/format';

function sample(over: Partial<ProcessSample> = {}): ProcessSample {
  return makeSample({
    comm: 'python3',
    state: 'R',
    argv: ['/venv/bin/python3', '-m', 'pytest', '-x', 'tests/unit'],
    ageSeconds: 2 * 3600 + 14 * 60,
    cpuSeconds: 100,
    rssBytes: 50 * 1024 * 1024,
    uid: 1000,
    cwd: '/work',
    ...over,
  });
}

describe('isBlocking', () => {
  // [ageSeconds, orphaned, ageMinutes, orphansOnly, expected]
  const table: readonly [number, boolean, number, boolean, boolean][] = [
    [3601, false, 60, false, true],
    [3600, false, 60, false, false], // "older than", not "as old as"
    [59, true, 60, false, false],
    [0, false, 0, false, true], // 0 = every match blocks
    [31, false, 0.5, false, true], // fractions allowed
    [29, false, 0.5, false, false],
    [7200, false, 60, true, false], // orphansOnly: a live launcher is fine
    [7200, true, 60, true, true],
    [10, true, 0, true, true],
    [10, false, 0, true, false],
  ];
  it.each(table)(
    'age %ss orphaned=%s ageMinutes=%s orphansOnly=%s -> %s',
    (age, orphaned, ageMinutes, only, want) => {
      expect(isBlocking(sample({ ageSeconds: age, orphaned }), { ageMinutes, orphansOnly: only })).toBe(want);
    },
  );
});

describe('buildSignals', () => {
  it('makes one signal per sample keyed on pid:starttime', () => {
    const signals = buildSignals([sample(), sample({ pid: 7, starttime: 9, ageSeconds: 10 })], {
      ageMinutes: 60,
      orphansOnly: false,
    });
    expect(signals.map((s) => [s.kind, s.key, s.active])).toEqual([
      ['proc_blocking', '4242:123456', true],
      ['proc_blocking', '7:9', false],
    ]);
    expect(signals[0]?.sample.pid).toBe(4242);
  });
});

describe('formatAge', () => {
  it('renders each number with the unit function it is given (the editor passes localized units)', () => {
    const ru = (v: number, u: string): string => `${v} ${{ s: 'с', m: 'мин', h: 'ч', d: 'д' }[u]}`;
    expect(formatAge(2 * 3600 + 14 * 60, ru)).toBe('2 ч 14 мин');
    expect(formatAge(45, ru)).toBe('45 с');
    expect(formatAge(3 * 86400 + 4 * 3600, ru)).toBe('3 д 4 ч');
  });

  it.each([
    [0, '0s'],
    [45, '45s'],
    [59.9, '59s'],
    [60, '1m'],
    [12 * 60 + 59, '12m'],
    [2 * 3600 + 14 * 60 + 5, '2h 14m'],
    [3 * 86400 + 4 * 3600 + 59 * 60, '3d 4h'],
    [7200, '2h'],
    [86400 + 59, '1d'],
    [-5, '0s'],
    [Number.NaN, '0s'],
  ])('%s -> %s', (seconds, text) => {
    expect(formatAge(seconds)).toBe(text);
  });
});

describe('shortCommand', () => {
  it.each([
    [['/venv/bin/python3', '-m', 'pytest', '-x', 'tests/unit'], 'pytest -x tests/unit'],
    [['/venv/bin/pytest', '-q'], 'pytest -q'],
    [['python3', '/venv/bin/py.test', 'tests'], 'py.test tests'],
    [['coverage', 'run', '-m', 'pytest', '-k', 'slow and not db'], 'pytest -k "slow and not db"'],
    [['uv', 'run', 'pytest'], 'pytest'],
    [['/venv/bin/python3 -m pytest -x tests'], 'pytest -x tests'],
    [['python3', '-c', 'import sys'], 'python3 -c "import sys"'],
    [[], '(no command line)'],
  ])('%j -> %s', (argv, text) => {
    expect(shortCommand(argv)).toBe(text);
  });

  it('cuts long lines with an ellipsis at the limit', () => {
    const text = shortCommand(['pytest', ...Array.from({ length: 50 }, (_, i) => `tests/t${i}.py`)], 40);
    expect(text.length).toBe(40);
    expect(text.endsWith('…')).toBe(true);
  });
});

describe('formatBytes', () => {
  it.each([
    [null, '?'],
    [-1, '?'],
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [230 * 1024 * 1024, '230 MiB'],
    [1.25 * 1024 ** 3, '1.3 GiB'],
  ])('%s -> %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
