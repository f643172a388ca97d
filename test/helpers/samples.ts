// One factory for the ProcessSample every pipeline test needs: a pytest orphaned onto tini.
// Tests override only the fields they are about.
import type { LeftBy } from '../../src/proc/diagnosisTypes';
import type { ProcessSample } from '../../src/proc/types';
import type { AlertState } from '../../src/watchdog/alertState';
import { buildSignals } from '../../src/watchdog/signals';
import { buildViewModel } from '../../src/watchdog/viewModel';
import type { ViewModel } from '../../src/watchdog/viewModel';

/** Evidence of a process left behind by tests: its cwd is inside a pytest basetemp. */
export const LEFT_BY_CWD: LeftBy = {
  kind: 'pytest',
  evidence: 'cwd',
  basetemp: '/tmp/pytest-of-u/pytest-1',
  run: null,
  testDir: null,
};

export function makeSample(over: Partial<ProcessSample> = {}): ProcessSample {
  return {
    pid: 4242,
    starttime: 123456,
    ppid: 1,
    comm: 'pytest',
    state: 'S',
    argv: ['pytest', '-x'],
    ageSeconds: 4000,
    cpuSeconds: 0,
    rssBytes: null,
    uid: null,
    nspid: null,
    containerId: null,
    cwd: null,
    parent: { pid: 1, comm: 'tini' },
    orphaned: true,
    pattern: 'pytest',
    sid: 4242,
    pgid: 4242,
    threads: 1,
    ...over,
  };
}

/**
 * The view model of these samples, all matched and all active (ageMinutes 0), as one tick would
 * draw it: for the pure row, notification and report builders.
 */
export function modelOf(
  samples: ProcessSample[],
  opts: { atMs?: number; snoozes?: AlertState['snoozes']; terminating?: readonly string[] } = {},
): ViewModel {
  const scan = {
    ok: true,
    uptimeSeconds: 9000,
    samples,
    stats: { processes: 9, matched: samples.length, vanished: 0, denied: 0, malformed: 0, durationMs: 1 },
  };
  const signals = buildSignals(samples, { ageMinutes: 0, orphansOnly: false });
  const state = { snoozes: opts.snoozes ?? {} };
  return buildViewModel({ scan, signals, state }, opts.atMs ?? 0, new Set(opts.terminating));
}
