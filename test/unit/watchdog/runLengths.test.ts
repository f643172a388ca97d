// Threshold advice (issue 11 item 7): runs that ended on their own while watched teach how long a
// healthy run takes; kills, orphans, failed scans and left-behind processes teach nothing.
import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import {
  emptyRunLengths,
  observeRuns,
  parseRunLengths,
  storedRunLengths,
  thresholdAdvice,
  tickObservation,
} from '../../../src/watchdog/runLengths';
import { emptyAlertState } from '../../../src/watchdog/alertState';
import { DEFAULT_CONFIG } from '../../../src/watchdog/config';
import type { Tick } from '../../../src/watchdog/monitor';
import type { RunLengths } from '../../../src/watchdog/runLengths';
import { buildSignals } from '../../../src/watchdog/signals';
import { LEFT_BY_CWD, makeSample } from '../../helpers/samples';

const run = (pid: number, ageSeconds: number, over: Partial<ProcessSample> = {}): ProcessSample =>
  makeSample({
    pid,
    starttime: pid * 10,
    ageSeconds,
    orphaned: false,
    parent: { pid: 7, comm: 'bash' },
    ...over,
  });

function ticks(...scans: Array<ProcessSample[] | 'failed'>): RunLengths {
  let r = emptyRunLengths();
  for (const samples of scans)
    r = observeRuns(r, {
      scanOk: samples !== 'failed',
      signals: samples === 'failed' ? [] : buildSignals(samples, { ageMinutes: 60, orphansOnly: false }),
      killedKeys: new Set(['300:3000']),
      matching: '["pytest"]',
    });
  return r;
}

describe('run lengths', () => {
  it('learns the longest run that ended on its own, from its age at the last sighting', () => {
    const r = ticks([run(100, 3000), run(200, 5000)], [run(100, 3030), run(200, 5030)], [run(200, 5060)], []);
    expect(storedRunLengths(r)).toEqual({ version: 1, longestSeconds: 5060, runs: 2 });
  });

  it('learns nothing from a kill, an orphan, a left-behind process or a failed scan', () => {
    const killed = run(300, 9000);
    const orphan = run(400, 9000, { orphaned: true, parent: { pid: 1, comm: 'tini' } });
    const leftBehind = run(500, 9000, { leftBy: LEFT_BY_CWD });
    const r = ticks([killed, orphan, leftBehind], 'failed', []);
    expect(storedRunLengths(r)).toEqual({ version: 1, longestSeconds: 0, runs: 0 });
    // The failed scan in between did not count as "gone": a run seen again after it is still running.
    const again = ticks([run(100, 4000)], 'failed', [run(100, 4060)]);
    expect(again.runs).toBe(0);
  });

  it('remembers the kills of the tick before: a run killed then and gone now did not end on its own', () => {
    const observe = (r: RunLengths, samples: ProcessSample[], killed: string[]): RunLengths =>
      observeRuns(r, {
        scanOk: true,
        signals: buildSignals(samples, { ageMinutes: 60, orphansOnly: false }),
        killedKeys: new Set(killed),
        matching: '["pytest"]',
      });
    const killedThenGone = observe(observe(emptyRunLengths(), [run(100, 4000)], ['100:1000']), [], []);
    expect(killedThenGone.runs).toBe(0);
    const endedOnItsOwn = observe(observe(emptyRunLengths(), [run(100, 4000)], []), [], []);
    expect(endedOnItsOwn.runs).toBe(1);
  });

  it('learns nothing when what matches changed: a process that stops matching has not ended', () => {
    const seen = ticks([run(100, 4000)]);
    const after = observeRuns(seen, {
      scanOk: true,
      signals: [],
      killedKeys: new Set(),
      matching: '["other"]',
    });
    expect(after.runs).toBe(0);
    const same = observeRuns(seen, {
      scanOk: true,
      signals: [],
      killedKeys: new Set(),
      matching: '["pytest"]',
    });
    expect(same.runs).toBe(1);
  });

  it('advises a quarter above the longest run, rounded up to 5 minutes, only when the threshold is shorter', () => {
    const learned = { version: 1 as const, longestSeconds: 72 * 60, runs: 3 };
    expect(thresholdAdvice(learned, 60)).toEqual({
      longestSeconds: 4320,
      ageMinutes: 60,
      suggestedMinutes: 90,
    });
    expect(thresholdAdvice(learned, 72)).toBeNull();
    expect(thresholdAdvice(learned, 0)).toBeNull(); // every age alerts: nothing to tune
    expect(thresholdAdvice({ ...learned, runs: 0 }, 10)).toBeNull();
  });

  it('reads back what it stored, and anything else as empty', () => {
    const r = ticks([run(100, 4000)], []);
    expect(parseRunLengths(JSON.parse(JSON.stringify(storedRunLengths(r))))).toMatchObject({
      longestSeconds: 4000,
      runs: 1,
    });
    for (const junk of [
      null,
      'x',
      { version: 2 },
      { version: 1, longestSeconds: -1, runs: 1 },
      { version: 1, longestSeconds: 5, runs: 0.5 },
    ])
      expect(storedRunLengths(parseRunLengths(junk))).toEqual({ version: 1, longestSeconds: 0, runs: 0 });
  });

  it('reads a monitor tick: kills from its recoveries, its state and the caller all count; so do the settings', () => {
    const tick = (over: Partial<Tick>): Tick => ({
      scan: {
        ok: true,
        uptimeSeconds: 9000,
        samples: [],
        stats: { processes: 1, matched: 0, vanished: 0, denied: 0, malformed: 0, durationMs: 1 },
      },
      signals: [],
      events: [],
      state: emptyAlertState(),
      config: DEFAULT_CONFIG,
      ...over,
    });
    const recovery = {
      type: 'recovery',
      pid: 1,
      starttime: 1,
      ranSeconds: 5,
      command: 'pytest',
    } as const;
    const o = tickObservation(
      tick({
        events: [
          { ...recovery, key: '1:1', reason: 'killed' },
          { ...recovery, key: '2:2', reason: 'exited' },
        ],
        state: { ...emptyAlertState(), killedKeys: ['3:3'] },
      }),
      ['4:4'],
    );
    expect([...o.killedKeys].sort()).toEqual(['1:1', '3:3', '4:4']);
    expect(o.scanOk).toBe(true);
    const other = tickObservation(tick({ config: { ...DEFAULT_CONFIG, patterns: ['tox'] } }), []);
    expect(other.matching).not.toBe(o.matching);
    expect(tickObservation(tick({ scan: { ...tick({}).scan, ok: false } }), []).scanOk).toBe(false);
  });
});
