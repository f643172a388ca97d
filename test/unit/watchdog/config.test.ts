import { describe, expect, it } from 'vitest';
import { DEFAULT_REAPERS } from '../../../src/proc/orphan';
import { DEFAULT_CONFIG, formatProblems, parseNumber, resolveConfig } from '../../../src/watchdog/config';

const ENV = '/ws/.env.watchdog';

describe('resolveConfig', () => {
  it('defaults with nothing set', () => {
    const r = resolveConfig({ explicit: {} });
    expect(r.config).toEqual({
      enabled: true,
      ageMinutes: 60,
      patterns: ['pytest'],
      cooldownSeconds: 1800,
      intervalSeconds: 30,
      orphansOnly: false,
      reapers: DEFAULT_REAPERS,
      procRoot: '/proc',
      envFile: '',
      killGraceSeconds: 5,
      testChildren: true,
    });
    expect(r.problems).toEqual([]);
    expect(r.sidecar).toEqual({ enabled: null, source: null });
  });

  it('env file feeds age, patterns and cooldown; WATCHDOG_PROC_ENABLED is only shown', () => {
    const text = [
      'WATCHDOG_PROC_ENABLED=false',
      'WATCHDOG_PROC_AGE_MIN=10.5',
      'WATCHDOG_PROC_PATTERNS= pytest , py.test,,',
      'export WATCHDOG_PROC_COOLDOWN_S=600 # ten minutes',
    ].join('\n');
    const r = resolveConfig({ explicit: {}, env: { path: ENV, text } });
    expect(r.config).toMatchObject({
      enabled: true,
      ageMinutes: 10.5,
      patterns: ['pytest', 'py.test'],
      cooldownSeconds: 600,
    });
    expect(r.sidecar).toEqual({ enabled: false, source: ENV });
    expect(r.problems).toEqual([]);
  });

  it('explicit settings win over the env file, which wins over the defaults', () => {
    const r = resolveConfig({
      explicit: { ageMinutes: 0, intervalSeconds: 5 },
      env: { path: ENV, text: 'WATCHDOG_PROC_AGE_MIN=10\nWATCHDOG_PROC_COOLDOWN_S=60' },
    });
    expect(r.config.ageMinutes).toBe(0);
    expect(r.config.cooldownSeconds).toBe(60);
    expect(r.config.intervalSeconds).toBe(5);
  });

  it('a bad explicit value is named and the env value (next source) is used', () => {
    const r = resolveConfig({
      explicit: { ageMinutes: -5 },
      env: { path: ENV, text: 'WATCHDOG_PROC_AGE_MIN=10' },
    });
    expect(r.config.ageMinutes).toBe(10);
    expect(r.problems).toEqual([
      { source: 'settings', key: 'ageMinutes', value: '-5', message: 'must be ≥ 0' },
    ]);
  });

  it.each([
    ['ageMinutes', 'abc'],
    ['ageMinutes', Number.NaN],
    ['patterns', []],
    ['patterns', ['pytest', '']],
    ['patterns', 'pytest'],
    ['cooldownSeconds', -1],
    ['intervalSeconds', 0],
    ['intervalSeconds', 0.5],
    ['enabled', 'yes'],
    ['orphansOnly', 1],
    ['reapers', [3]],
    ['procRoot', 'proc'],
    ['killGraceSeconds', -1],
    ['testChildren', 'yes'],
  ])('explicit %s = %j is rejected, default kept', (key, value) => {
    const r = resolveConfig({ explicit: { [key]: value } });
    expect(r.config[key as keyof typeof r.config]).toEqual(
      DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG],
    );
    expect(r.problems).toHaveLength(1);
    expect(r.problems[0]).toMatchObject({ source: 'settings', key });
  });

  it.each([
    ['WATCHDOG_PROC_AGE_MIN', 'abc', 'ageMinutes', 'not a number'],
    ['WATCHDOG_PROC_AGE_MIN', '', 'ageMinutes', 'not a number'], // Number('') would be 0
    ['WATCHDOG_PROC_AGE_MIN', '0x10', 'ageMinutes', 'not a number'],
    ['WATCHDOG_PROC_AGE_MIN', '-3', 'ageMinutes', 'must be ≥ 0'],
    ['WATCHDOG_PROC_COOLDOWN_S', '1e3', 'cooldownSeconds', 'not a number'],
    ['WATCHDOG_PROC_PATTERNS', ' , ', 'patterns', 'needs at least one pattern'],
  ])('env %s=%j is rejected with its line, default kept', (envKey, value, key, message) => {
    const r = resolveConfig({ explicit: {}, env: { path: ENV, text: `# x\n${envKey}=${value}` } });
    expect(r.config[key as keyof typeof r.config]).toEqual(
      DEFAULT_CONFIG[key as keyof typeof DEFAULT_CONFIG],
    );
    expect(r.problems).toEqual([{ source: ENV, key: envKey, value: value.trim(), message, line: 2 }]);
  });

  it('an unparseable WATCHDOG_PROC_ENABLED is a problem and shown as unknown', () => {
    const r = resolveConfig({ explicit: {}, env: { path: ENV, text: 'WATCHDOG_PROC_ENABLED=maybe' } });
    expect(r.sidecar).toEqual({ enabled: null, source: ENV });
    expect(r.problems[0]).toMatchObject({ key: 'WATCHDOG_PROC_ENABLED', value: 'maybe', line: 1 });
  });

  it('broken lines are reported only when they concern the watchdog', () => {
    const r = resolveConfig({
      explicit: {},
      env: { path: ENV, text: 'SOMETHING ELSE\nWATCHDOG_PROC_AGE_MIN 30' },
    });
    expect(r.problems).toEqual([
      {
        source: ENV,
        key: 'WATCHDOG_PROC_AGE_MIN 30',
        value: 'WATCHDOG_PROC_AGE_MIN 30',
        message: 'not a KEY=value line',
        line: 2,
      },
    ]);
  });
});

describe('formatProblems', () => {
  it('names file, line, key and value for every problem in one text', () => {
    const r = resolveConfig({
      explicit: { ageMinutes: 'soon' },
      env: { path: ENV, text: 'WATCHDOG_PROC_COOLDOWN_S=later' },
    });
    expect(formatProblems(r.problems)).toBe(
      '/ws/.env.watchdog:1 WATCHDOG_PROC_COOLDOWN_S = "later" (not a number); setting procWatchdog.ageMinutes = "soon" (expected number)',
    );
  });
});

describe('parseNumber', () => {
  it.each([
    ['30', 30],
    [' 2.5 ', 2.5],
    ['.5', 0.5],
    ['-1', -1],
    ['', null],
    ['abc', null],
    ['Infinity', null],
    ['1_000', null],
  ])('%j -> %s', (text, want) => {
    expect(parseNumber(text)).toBe(want);
  });
});
