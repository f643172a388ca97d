// The hand-written replacements of the quadratic regexes (issue 8) agree with the regexes they
// replace, on every short string of the characters that matter, and stay fast on long ones.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { basename, MAX_PROGRAM_CHARS, resolveCommand } from '../../../src/watchdog/argv';
import { parseNumber, resolveConfig } from '../../../src/watchdog/config';
import { parseEnvFile } from '../../../src/watchdog/envFile';
import { createMatcher, versionSuffixStart } from '../../../src/watchdog/match';
import { englishText } from '../../../src/watchdog/notificationText';
import { cpuMsPerRun, linearBoundMs } from '../../helpers/cpuTime';

/** CPU ms of this process (not wall time: a loaded machine does not count). */
const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

const VERSION_RE = /-?\d+(?:\.\d+)*$/; // what match.ts used to run on every program name
const regexBasename = (path: string): string => {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash === -1 ? trimmed : trimmed.slice(slash + 1);
};

describe('versionSuffixStart', () => {
  it('agrees with /-?\\d+(?:\\.\\d+)*$/ on every string over a-.12 (property)', () => {
    const chars = fc.constantFrom('a', '-', '.', '1', '2', 'p');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 12 }), (s) => {
        expect(versionSuffixStart(s)).toBe(VERSION_RE.exec(s)?.index ?? -1);
      }),
      { numRuns: 5000 },
    );
  });

  it.each([
    ['pytest-3', 6],
    ['python3.12', 6],
    ['py.test', -1],
    ['a1..2', 4],
    ['x-1.2.3', 1],
    ['1.', -1],
    ['', -1],
  ])('%j -> %d', (name, want) => {
    expect(versionSuffixStart(name)).toBe(want);
  });
});

describe('basename', () => {
  it('agrees with the regex trim it replaces (property)', () => {
    const chars = fc.constantFrom('/', 'a', 'b', '.');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 10 }), (s) => {
        expect(basename(s)).toBe(regexBasename(s));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('no quadratic work on long names (issue 8: 12-18 s scans)', () => {
  // Each of these took seconds of CPU with the old regexes at this size; linear code takes a few
  // ms, so a generous bound on CPU time cannot flake yet still catches a quadratic regression.
  const n = 200_000;
  const hostile = [
    `/venv/bin/pytest${'/'.repeat(n)}x`,
    `pytest${'1'.repeat(n)}x`,
    `python${'1.'.repeat(n / 2)}x`,
    `python3${'/'.repeat(n)}`,
  ];
  const pytest = createMatcher(['pytest']);
  const python = createMatcher(['python', 'coverage']);

  it.each(hostile.map((h) => [h.slice(0, 24), h]))('%s… matches nothing, quickly', (_label, program) => {
    const started = cpuMs();
    expect(pytest.match([program, '-m', 'pytest'])).toBeNull();
    expect(python.match([program, 'x'])).toBeNull();
    expect(pytest.match(['python3', '-m', program])).toBeNull();
    expect(pytest.match([`${program} -m pytest`])).toBeNull();
    expect(cpuMs() - started).toBeLessThan(1500);
  });

  it(`a program name longer than ${MAX_PROGRAM_CHARS} chars never matches`, () => {
    const long = `/${'d/'.repeat(MAX_PROGRAM_CHARS)}pytest`;
    expect(createMatcher(['pytest']).match([long, 'tests'])).toBeNull();
    expect(createMatcher(['pytest']).match(['python3', '-m', long.slice(1)])).toBeNull();
    expect(resolveCommand([long]).names).toEqual([]);
    // ... while one just under the limit still does.
    const fits = `${'/d'.repeat((MAX_PROGRAM_CHARS - 8) / 2)}/pytest`;
    expect(fits.length).toBeLessThanOrEqual(MAX_PROGRAM_CHARS);
    expect(createMatcher(['pytest']).match([fits])).toBe('pytest');
  });

  it('parseNumber is linear on a long digit run (the env file feeds it)', () => {
    const started = cpuMs();
    expect(parseNumber(`${'1'.repeat(n)}x`)).toBeNull();
    expect(parseNumber(`${'1'.repeat(n)}.${'1'.repeat(n)}x`)).toBeNull();
    expect(parseNumber('12.5')).toBe(12.5);
    expect(cpuMs() - started).toBeLessThan(1500);
  });
});

describe('env file parser is linear (issue 8: 288 KB unterminated quote took 8.3 s)', () => {
  it.each([
    ['unterminated double quote', `WATCHDOG_PROC_AGE_MIN="${'x\n'.repeat(150_000)}`],
    ['unterminated single quote', `WATCHDOG_PROC_AGE_MIN='${'ab\n'.repeat(100_000)}`],
    ['backslashes', `WATCHDOG_PROC_AGE_MIN="${'\\\n'.repeat(100_000)}`],
    ['long digits', `WATCHDOG_PROC_AGE_MIN=${'1'.repeat(300_000)}x`],
  ])('%s', (_name, text) => {
    const started = cpuMs();
    const parsed = parseEnvFile(text);
    resolveConfig({ explicit: {}, env: { path: '/ws/.env', text } });
    expect(parsed.values.size + parsed.problems.length).toBeGreaterThan(0);
    expect(cpuMs() - started).toBeLessThan(2000);
  });

  it('a quoted value over several lines, with an escaped line break, parses as before', () => {
    const text = 'A="one\ntwo\\\nthree" # c\nB=2';
    const parsed = parseEnvFile(text);
    expect(parsed.values.get('A')?.value).toBe('one\ntwo\nthree');
    expect(parsed.values.get('B')?.value).toBe('2');
    expect(parsed.problems).toEqual([]);
  });
});

describe('englishText', () => {
  const regexFill = (message: string, args: readonly string[]): string =>
    message.replace(/\{(\d+)\}/g, (_all, i: string) => String(args[Number(i)]));

  it('agrees with the /\\{(\\d+)\\}/g fill it replaces, on every string over {}01a (property)', () => {
    const chars = fc.constantFrom('{', '}', '0', '1', 'a');
    fc.assert(
      fc.property(fc.string({ unit: chars, maxLength: 14 }), (s) => {
        expect(englishText(s, 'X', 'Y')).toBe(regexFill(s, ['X', 'Y']));
      }),
      { numRuns: 5000 },
    );
  });

  it('costs linear CPU time on braces and digits with no closing brace', () => {
    const hostile = (n: number): string => '{1'.repeat(n) + '{' + '9'.repeat(n);
    const small = cpuMsPerRun(() => englishText(hostile(16_384), 'x'));
    expect(cpuMsPerRun(() => englishText(hostile(8 * 16_384), 'x'))).toBeLessThan(linearBoundMs(small));
  });
});
