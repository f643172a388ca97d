import { describe, expect, it } from 'vitest';
import {
  basetempName,
  holdsText,
  IDLE_FACT_SECONDS,
  MAX_HOLDS,
  NO_FACTS,
  worstFact,
  worstOfRun,
} from '../../../src/watchdog/diagnosisRows';
import type { RowFacts } from '../../../src/watchdog/diagnosisRows';
import { makeFacts } from '../../helpers/diagnosis';

const holds = (over: Parameters<typeof makeFacts>[0]) => makeFacts(over).holds;

describe('holdsText', () => {
  it('says a port on every address or loopback as ":8000", one address with its host, UDP marked', () => {
    const text = holdsText(
      holds({
        listening: [
          { proto: 'tcp', address: '0.0.0.0', port: 8000 },
          { proto: 'tcp', address: '::', port: 8000 },
          { proto: 'tcp', address: '127.0.0.1', port: 8765 },
          { proto: 'tcp', address: '10.0.0.5', port: 9000 },
          { proto: 'tcp', address: 'fe80::1', port: 9001 },
          { proto: 'udp', address: '0.0.0.0', port: 5353 },
        ],
      }),
      '/repo',
    );
    expect(text).toEqual([':8000', ':8765', '10.0.0.5:9000', '[fe80::1]:9001', ':5353/udp']);
  });

  it('lists ports, then devices, then files (relative to the run cwd), capped', () => {
    expect(
      holdsText(
        holds({
          listening: [{ proto: 'tcp', address: '::1', port: 8000 }],
          devices: ['/dev/nvidia0'],
          files: ['/repo/db.sqlite', '/elsewhere/x.lock', '/repo/'],
        }),
        '/repo',
      ),
    ).toEqual([':8000', '/dev/nvidia0', 'db.sqlite', '/elsewhere/x.lock', '/repo/']);
    const many = Array.from({ length: 40 }, (_, i) => `/repo/f${i}`);
    expect(holdsText(holds({ files: many }), null)).toHaveLength(MAX_HOLDS);
  });
});

describe('worstFact', () => {
  const facts = (over: Partial<RowFacts>): RowFacts => ({ ...NO_FACTS, ...over });

  it('a held port beats a spinning core, which beats a busy one; a quiet sleeper has none', () => {
    const port = facts({
      holds: [':8000', '/dev/nvidia0'],
      portCount: 1,
      verdict: 'spinning',
      cpuNowPercent: 99,
    });
    expect(worstFact(port)).toEqual({ kind: 'port', text: ':8000' });
    expect(worstFact(facts({ verdict: 'spinning', cpuNowPercent: 97.6 }))).toEqual({
      kind: 'cpu',
      percent: 98,
      spinning: true,
    });
    expect(worstFact(facts({ verdict: 'busy', cpuNowPercent: 45 }))?.kind).toBe('cpu');
    expect(worstFact(facts({ verdict: 'busy', cpuNowPercent: 3 }))).toBeNull();
    expect(worstFact(facts({ verdict: 'idle', cpuNowPercent: 0 }))).toBeNull();
    // A device alone is not "holds :…": only listening sockets are.
    expect(worstFact(facts({ holds: ['/dev/nvidia0'], portCount: 0 }))).toBeNull();
    expect(worstFact(facts({ verdict: 'stopped' }))).toEqual({ kind: 'state', verdict: 'stopped' });
    expect(worstFact(NO_FACTS)).toBeNull();
  });

  it('a run is as bad as its worst member (a worker holds the port)', () => {
    const root = facts({ verdict: 'spinning', cpuNowPercent: 99 });
    const worker = facts({ holds: [':8765'], portCount: 1 });
    expect(worstOfRun([root, worker])).toEqual({ kind: 'port', text: ':8765' });
    expect(worstOfRun([facts({ verdict: 'stopped' }), root])?.kind).toBe('cpu');
    expect(worstOfRun([])).toBeNull();
  });

  it('says how long a run has slept, from a minute on, when nothing stronger applies', () => {
    const idle = (idleSeconds: number | null) => facts({ verdict: 'idle', cpuNowPercent: 0, idleSeconds });
    expect(worstFact(idle(2400))).toEqual({ kind: 'idle', seconds: 2400 });
    expect(worstFact(idle(IDLE_FACT_SECONDS))).toEqual({ kind: 'idle', seconds: 60 });
    expect(worstFact(idle(59))).toBeNull(); // a pause, not worth the room
    expect(worstFact(idle(null))).toBeNull(); // not watched long enough to know
    expect(worstFact(facts({ verdict: 'busy', cpuNowPercent: 3, idleSeconds: 900 }))).toBeNull();
    // A run is idle when all of it is, for as long as its most recently active process.
    expect(worstOfRun([idle(2400), idle(600), idle(3000)])).toEqual({ kind: 'idle', seconds: 600 });
    expect(worstOfRun([idle(2400), idle(30)])).toBeNull();
    expect(worstOfRun([idle(2400), idle(null)])).toBeNull();
    expect(worstOfRun([idle(2400), facts({ verdict: 'busy', cpuNowPercent: 3 })])).toBeNull();
    // Stronger facts win: a port a worker holds, a core, a stopped worker.
    expect(worstOfRun([idle(2400), facts({ ...idle(2400), holds: [':8000'], portCount: 1 })])).toEqual({
      kind: 'port',
      text: ':8000',
    });
    expect(worstOfRun([idle(2400), facts({ verdict: 'spinning', cpuNowPercent: 99 })])?.kind).toBe('cpu');
    expect(worstOfRun([idle(2400), facts({ verdict: 'stopped' })])?.kind).toBe('state');
  });
});

describe('basetempName', () => {
  it('keeps the part that tells two runs apart', () => {
    expect(basetempName('/tmp/pytest-of-dev/pytest-12')).toBe('pytest-12');
    expect(basetempName('/tmp/bt/')).toBe('bt');
    expect(basetempName(null)).toBeNull();
  });
});
