// Diagnosis fixtures for the editor's pure parts: a run's own facts and its workers, built from
// the fields a test is about (issue 11/13 shapes, as src/proc/diagnosingScanner.ts returns them).
import type {
  Diagnosis,
  Holds,
  ListeningSocket,
  ProcessDiagnosis,
  Verdict,
  WorkerDiagnosis,
  WorkerRole,
} from '../../src/proc/diagnosisTypes';

export interface FactsOver {
  readonly cpuPercent?: number | null;
  readonly cpuSeconds?: number;
  readonly verdict?: Verdict;
  readonly idleSeconds?: number | null;
  readonly state?: string;
  readonly tests?: readonly string[];
  readonly listening?: readonly ListeningSocket[];
  readonly files?: readonly string[];
  readonly devices?: readonly string[];
  readonly holds?: Partial<Holds>;
  readonly cwd?: string | null;
  readonly branch?: string | null;
  readonly sid?: number;
}

export function makeFacts(over: FactsOver = {}): ProcessDiagnosis {
  return {
    activity: {
      cpuPercent: over.cpuPercent === undefined ? 0 : over.cpuPercent,
      cpuSeconds: over.cpuSeconds ?? 1,
      state: over.state ?? 'S',
      verdict: over.verdict ?? 'idle',
      wchan: null,
      idleSeconds: over.idleSeconds === undefined ? null : over.idleSeconds,
    },
    tests: over.tests ?? [],
    holds: {
      listening: over.listening ?? [],
      files: over.files ?? [],
      devices: over.devices ?? [],
      basetemp: null,
      complete: true,
      unknown: null,
      ...over.holds,
    },
    run: {
      sid: over.sid ?? 4242,
      pgid: over.sid ?? 4242,
      cwd: over.cwd === undefined ? '/repo' : over.cwd,
      branch: over.branch === undefined ? 'feature/merge-gate' : over.branch,
      worktree: null,
      workspace: null,
    },
  };
}

export function makeWorker(
  pid: number,
  ppid: number,
  over: FactsOver & { role?: WorkerRole; argv?: readonly string[] } = {},
): WorkerDiagnosis {
  return {
    ...makeFacts(over),
    pid,
    starttime: pid * 3,
    ppid,
    comm: 'python3',
    argv: over.argv ?? ['python3', '-c', 'import sys;exec(eval(sys.stdin.readline()))'],
    role: over.role ?? 'xdist-worker',
    ageSeconds: 40,
    rssBytes: 30 << 20,
  };
}

export function makeDiagnosis(over: FactsOver = {}, workers: readonly WorkerDiagnosis[] = []): Diagnosis {
  return { ...makeFacts(over), workers, workersComplete: true };
}
