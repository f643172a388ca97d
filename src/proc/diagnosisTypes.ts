// What a matched run is doing (DESIGN "Diagnosis"): activity, tests, what it holds, the run it
// belongs to, its workers, and for processes no pattern matched, why they count (left behind by
// tests). Pure data, serializable as JSON as it is: the CLI prints it, the editor shows it.

/**
 * What the process is doing, from its state and CPU use over the last interval:
 * - `spinning`: burns (or waits for) a whole core: an endless loop, a busy wait;
 * - `busy`: uses some CPU;
 * - `idle`: sleeps (waits for I/O, a lock, a timer, a child);
 * - `uninterruptible`: state D, a signal may not take effect until the kernel call returns;
 * - `stopped`: state T/t, SIGTERM is acted on only after SIGCONT;
 * - `zombie`: exited, waits to be reaped by its parent;
 * - `unknown`: no second sample to measure CPU over.
 */
export type Verdict = 'spinning' | 'busy' | 'idle' | 'uninterruptible' | 'stopped' | 'zombie' | 'unknown';

export interface Activity {
  /** CPU over the last interval, 100 = one core; null without a second sample. */
  readonly cpuPercent: number | null;
  /** utime + stime since start, seconds. */
  readonly cpuSeconds: number;
  /** stat field 3 (R, S, D, Z, T, …). */
  readonly state: string;
  readonly verdict: Verdict;
  /** Kernel function it sleeps in (/proc/<pid>/wchan), null when running or not readable. */
  readonly wchan: string | null;
  /**
   * Idle: seconds its CPU time (utime + stime) has not moved, as far as watched (since watching
   * began when it never moved meanwhile: a lower bound). Null unless idle, on first sight, and in
   * a one-shot scan (its two readings half a second apart say nothing about how long).
   */
  readonly idleSeconds: number | null;
}

/** A bound socket nobody is connected to: TCP in LISTEN, UDP bound and unconnected. */
export interface ListeningSocket {
  readonly proto: 'tcp' | 'udp';
  /** `127.0.0.1`, `0.0.0.0`, `::`, `::1`, `::ffff:10.0.0.1`. */
  readonly address: string;
  readonly port: number;
}

/** What a process holds that can break the next run. */
export interface Holds {
  readonly listening: readonly ListeningSocket[];
  /** Open files under the run's cwd or a workspace folder (capped). */
  readonly files: readonly string[];
  /** Open accelerator devices: /dev/nvidia*, /dev/dri/*, /dev/kfd. */
  readonly devices: readonly string[];
  /** pytest's basetemp (`…/pytest-of-<user>/pytest-<N>`) it works in or holds a file under. */
  readonly basetemp: string | null;
  /** False when some fds could not be read: the lists may miss things. */
  readonly complete: boolean;
  /** Why it is incomplete: `needs root` (another user's fds), `gone`, `too many fds`; else null. */
  readonly unknown: string | null;
}

/** The run a process belongs to: survives re-parenting. */
export interface RunInfo {
  /** Session id (stat field 6). */
  readonly sid: number;
  /** Process group (stat field 5). */
  readonly pgid: number;
  readonly cwd: string | null;
  /** Branch checked out where cwd is (`.git/HEAD`), `detached@<sha7>`, or null. */
  readonly branch: string | null;
  /** The linked worktree's folder when cwd is in one (its `.git` is a `gitdir:` file), else null. */
  readonly worktree: string | null;
  /** The workspace folder cwd is in (the longest match), or null. */
  readonly workspace: string | null;
}

/**
 * - `xdist-worker`: a pytest-xdist worker (execnet bootstrap or `[pytest-xdist …]` title);
 * - `server`: holds a listening socket (a fixture's server);
 * - `setsid-child`: started its own session (setsid, start_new_session=True): outlives a
 *   process-group kill, and the launcher's death does not reach it;
 * - `child`: any other descendant.
 */
export type WorkerRole = 'xdist-worker' | 'server' | 'setsid-child' | 'child';

export interface ProcessDiagnosis {
  readonly activity: Activity;
  /** pytest node ids it runs now (xdist title, node ids in argv); empty when unknown. */
  readonly tests: readonly string[];
  readonly holds: Holds;
  readonly run: RunInfo;
}

/** A descendant of a diagnosed process, listed flat, parents before children. */
export interface WorkerDiagnosis extends ProcessDiagnosis {
  readonly pid: number;
  readonly starttime: number;
  readonly ppid: number;
  readonly comm: string;
  readonly argv: readonly string[];
  readonly role: WorkerRole;
  readonly ageSeconds: number;
  readonly rssBytes: number | null;
}

export interface Diagnosis extends ProcessDiagnosis {
  readonly workers: readonly WorkerDiagnosis[];
  /** False when descendants were cut at the cap (a fork bomb must not stall the scan). */
  readonly workersComplete: boolean;
}

/** Why a process no pattern matched is reported: it was started by tests and left behind. */
export type LeftByEvidence = 'lineage' | 'cwd' | 'argv' | 'fd';

export interface LeftBy {
  readonly kind: 'pytest';
  /** Strongest first: seen as a descendant of a matched run; cwd, an argument or an open file in a basetemp. */
  readonly evidence: LeftByEvidence;
  /** `<tmp>/pytest-of-<user>/pytest-<N>` (or a `--basetemp` dir), when known. */
  readonly basetemp: string | null;
  /** `pid:starttime` of the pytest run it came from, when known. */
  readonly run: string | null;
  /** The folder under the basetemp, named after the test (`test_spawns_a_server0`), when known. */
  readonly testDir: string | null;
}
