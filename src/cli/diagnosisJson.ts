// The diagnosis part of the JSON contract (README "Command line"), per process: cpuPercent,
// cpuSeconds, activity, idleSeconds, wchan, tests, holds, workers, run, and leftBy for a process tests left
// behind. Pure: a sample in, plain JSON-ready data out; fields are present (null / empty) even
// when diagnosis was not run, so consumers need no existence checks.
import type { Holds, LeftBy, RunInfo, Verdict, WorkerRole } from '../proc/diagnosisTypes';
import type { ProcessSample } from '../proc/types';

export interface ActivityJson {
  cpuPercent: number | null;
  cpuSeconds: number;
  activity: Verdict;
  /** Idle: seconds its CPU time has not moved as far as watched; null otherwise (README). */
  idleSeconds: number | null;
  wchan: string | null;
  tests: readonly string[];
  holds: Holds;
  run: RunInfo;
}

export interface WorkerJson extends ActivityJson {
  pid: number;
  starttime: number;
  ppid: number;
  comm: string;
  argv: readonly string[];
  role: WorkerRole;
  state: string;
  ageSeconds: number;
  rssBytes: number | null;
}

export interface DiagnosisJson extends ActivityJson {
  workers: WorkerJson[];
  workersComplete: boolean;
  leftBy: LeftBy | null;
}

const NO_HOLDS: Holds = {
  listening: [],
  files: [],
  devices: [],
  basetemp: null,
  complete: false,
  unknown: 'not read',
};

export function diagnosisJson(s: ProcessSample): DiagnosisJson {
  const d = s.diagnosis;
  if (d === undefined) {
    return {
      cpuPercent: null,
      cpuSeconds: s.cpuSeconds,
      activity: 'unknown',
      idleSeconds: null,
      wchan: null,
      tests: [],
      holds: NO_HOLDS,
      run: { sid: s.sid, pgid: s.pgid, cwd: s.cwd, branch: null, worktree: null, workspace: null },
      workers: [],
      workersComplete: false,
      leftBy: s.leftBy ?? null,
    };
  }
  return {
    cpuPercent: d.activity.cpuPercent,
    cpuSeconds: d.activity.cpuSeconds,
    activity: d.activity.verdict,
    idleSeconds: d.activity.idleSeconds,
    wchan: d.activity.wchan,
    tests: d.tests,
    holds: d.holds,
    run: d.run,
    workers: d.workers.map((w) => ({
      pid: w.pid,
      starttime: w.starttime,
      ppid: w.ppid,
      comm: w.comm,
      argv: w.argv,
      role: w.role,
      state: w.activity.state,
      ageSeconds: w.ageSeconds,
      rssBytes: w.rssBytes,
      cpuPercent: w.activity.cpuPercent,
      cpuSeconds: w.activity.cpuSeconds,
      activity: w.activity.verdict,
      idleSeconds: w.activity.idleSeconds,
      wchan: w.activity.wchan,
      tests: w.tests,
      holds: w.holds,
      run: w.run,
    })),
    workersComplete: d.workersComplete,
    leftBy: s.leftBy ?? null,
  };
}
