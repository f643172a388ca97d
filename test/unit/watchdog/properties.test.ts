// Property-based checks of the pipeline's invariants (fast-check), beyond the example tables.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import { emptyAlertState, parseAlertState, serializeAlertState } from '../../../src/watchdog/alertState';
import type { AlertState } from '../../../src/watchdog/alertState';
import { reduceAlerts } from '../../../src/watchdog/alerts';
import { parseEnvFile } from '../../../src/watchdog/envFile';
import { formatAge, shortCommand } from '../../../src/watchdog/format';
import { createMatcher } from '../../../src/watchdog/match';
import type { Signal } from '../../../src/watchdog/types';

const WORDS = [
  'pytest',
  'py.test',
  'pytest-3',
  'python',
  'python3',
  'python3.12',
  '/venv/bin/python3',
  '/venv/bin/pytest',
  '-m',
  '-c',
  '-X',
  'dev',
  '-W',
  '--',
  '-',
  'coverage',
  'run',
  'uv',
  'uvx',
  'tool',
  'poetry',
  'hatch',
  'env',
  'A=1',
  'tests/',
  '-x',
  'pytest_cov',
  'vim',
  'grep',
  'x:pytest',
  '--with',
  '-Bm',
  '-mpytest',
  '',
];
const argvArb = fc.array(fc.oneof(fc.constantFrom(...WORDS), fc.string({ maxLength: 12 })), { maxLength: 9 });

describe('matcher properties', () => {
  const matcher = createMatcher(['pytest', 'tox']);

  it('a match always contains a needle, so the reader prefilter never hides a match', () => {
    fc.assert(
      fc.property(argvArb, (argv) => {
        if (matcher.match(argv) === null) return;
        const raw = argv.join('\0');
        expect(matcher.needles.some((n) => raw.includes(n))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws and returns a configured pattern or null; shortCommand never throws', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 12 }), (argv) => {
        const m = matcher.match(argv);
        expect(m === null || m === 'pytest' || m === 'tox').toBe(true);
        expect(typeof shortCommand(argv)).toBe('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('a word merely containing "pytest" after a non-launcher program never matches', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('vim', 'less', 'grep', 'cat', 'code', 'git'),
        fc.array(fc.constantFrom(...WORDS)),
        (prog, rest) => {
          expect(matcher.match([prog, ...rest])).toBeNull();
        },
      ),
    );
  });
});

function sig(pid: number, starttime: number, active: boolean): Signal {
  const sample = { pid, starttime, argv: ['pytest'], ageSeconds: 100 } as unknown as ProcessSample;
  return { kind: 'proc_blocking', key: `${pid}:${starttime}`, pid, starttime, active, sample };
}

const scanArb = fc.record({
  ok: fc.boolean(),
  dt: fc.integer({ min: 0, max: 4000 }),
  procs: fc.uniqueArray(
    fc.record({
      pid: fc.integer({ min: 1, max: 5 }),
      start: fc.integer({ min: 1, max: 3 }),
      active: fc.boolean(),
    }),
    {
      selector: (p) => `${p.pid}:${p.start}`,
      maxLength: 6,
    },
  ),
});

describe('reducer properties', () => {
  it('FIRE only for keys not fired before, RECOVERY only for fired keys, failed scans change nothing', () => {
    fc.assert(
      fc.property(
        fc.array(scanArb, { maxLength: 25 }),
        fc.integer({ min: 0, max: 3000 }),
        (scans, cooldownSeconds) => {
          let state: AlertState = emptyAlertState();
          let now = 0;
          for (const scan of scans) {
            now += scan.dt;
            const signals = scan.procs.map((p) => sig(p.pid, p.start, p.active));
            const { next, events } = reduceAlerts(
              state,
              { signals, scanOk: scan.ok, nowSeconds: now },
              { cooldownSeconds },
            );
            if (!scan.ok) {
              expect(next).toBe(state);
              expect(events).toEqual([]);
            }
            for (const e of events) {
              const before = state.entities[e.key];
              if (e.type === 'fire') expect(before?.firedAtSeconds ?? null).toBeNull();
              if (e.type === 'remind')
                expect(now - (before?.notifiedAtSeconds ?? -Infinity)).toBeGreaterThanOrEqual(
                  cooldownSeconds,
                );
              if (e.type === 'recovery') {
                expect(before?.firedAtSeconds).not.toBeNull();
                expect(signals.some((s) => s.key === e.key)).toBe(false);
              }
            }
            // At most one event per entity per tick.
            expect(new Set(events.map((e) => e.key)).size).toBe(events.length);
            // The state is plain JSON and survives a round trip.
            expect(parseAlertState(JSON.parse(JSON.stringify(serializeAlertState(next))))).toEqual(next);
            state = next;
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('parseAlertState never throws on arbitrary JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(() => parseAlertState(value)).not.toThrow();
        expect(() => parseAlertState(JSON.stringify(value))).not.toThrow();
      }),
    );
  });
});

describe('env file and format properties', () => {
  it('parseEnvFile never throws; a plain KEY=value line reads back its value', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(() => parseEnvFile(text)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
    const safeValue = fc.stringMatching(/^[A-Za-z0-9_.,:/@-]{0,20}$/);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,10}$/), safeValue, (key, value) => {
        expect(parseEnvFile(`${key}=${value}`).values.get(key)?.value).toBe(value);
        expect(parseEnvFile(`${key}="${value}"`).values.get(key)?.value).toBe(value);
      }),
    );
  });

  it('formatAge always gives one or two units, never empty', () => {
    fc.assert(
      fc.property(fc.double({ min: -10, max: 1e8, noNaN: true }), (s) => {
        expect(formatAge(s)).toMatch(/^\d+[smhd]( \d+[mh])?$/);
      }),
    );
  });
});
