// Data shapes of the /proc layer. Pure types: no I/O here.
import type { Diagnosis, LeftBy } from './diagnosisTypes';

/** A process is identified by pid + starttime (proc(5) stat field 22), never by pid alone. */
export interface ProcIdentity {
  readonly pid: number;
  /** Clock ticks after boot at which the process started (stat field 22). */
  readonly starttime: number;
}

/** `pid:starttime`, the key every entity, snooze and kill is stored under. */
export function identityKey(id: ProcIdentity): string {
  return `${id.pid}:${id.starttime}`;
}

/** One matched process, with everything the pipeline and the UI show. */
export interface ProcessSample extends ProcIdentity {
  readonly ppid: number;
  /** Text between the first `(` and the last `)` of stat. */
  readonly comm: string;
  /** stat field 3 (R, S, D, Z, T, …). */
  readonly state: string;
  readonly argv: readonly string[];
  /** Seconds since the process started, on the boot clock (uptime − starttime / USER_HZ). */
  readonly ageSeconds: number;
  /** utime + stime (stat fields 14 + 15) in seconds. */
  readonly cpuSeconds: number;
  /** stat field 24 × page size; null when unknown. */
  readonly rssBytes: number | null;
  readonly uid: number | null;
  /** NSpid from status: the pid in each nested pid namespace, outermost first; null when unknown. */
  readonly nspid: readonly number[] | null;
  /** Container id from cgroup (docker/containerd/podman), null when not in one. */
  readonly containerId: string | null;
  /** Working directory (readlink of cwd), null when it cannot be read. */
  readonly cwd: string | null;
  /** The parent's pid and comm, null when the parent could not be read. */
  readonly parent: { readonly pid: number; readonly comm: string } | null;
  /** Re-parented onto a reaper: ppid 0/1 or a parent whose comm is a known reaper. */
  readonly orphaned: boolean;
  /** The configured pattern that matched (for a process left behind: its run's, or `pytest`). */
  readonly pattern: string;
  /** Session id and process group (stat fields 6 and 5): both survive re-parenting. */
  readonly sid: number;
  readonly pgid: number;
  /** stat field 20. */
  readonly threads: number;
  /** What it is doing, holds, its workers and run; absent when diagnosis is off. */
  readonly diagnosis?: Diagnosis;
  /** Set when no pattern matched it but tests started it and left it behind (issue 13). */
  readonly leftBy?: LeftBy;
}

export interface ScanStats {
  /** Pid directories seen. */
  processes: number;
  matched: number;
  /** Gone between readdir and read (ENOENT/ESRCH). */
  vanished: number;
  /** EACCES/EPERM (hidepid, other users). */
  denied: number;
  /** Files that could not be parsed. */
  malformed: number;
  durationMs: number;
}

export interface ScanResult {
  /** False when the proc root itself could not be read: such a scan must recover nothing. */
  readonly ok: boolean;
  /** Why the scan failed (ok === false), one line. */
  readonly error?: string;
  /** /proc/uptime at the scan, seconds on the boot clock (the reducer's `now`). */
  readonly uptimeSeconds: number;
  readonly samples: readonly ProcessSample[];
  readonly stats: ScanStats;
}

/** What the reader needs from matching, without depending on the pipeline. */
export interface ArgvMatcher {
  /**
   * Byte strings of which at least one must occur in a raw cmdline for it to be decoded and
   * matched at all (a cheap prefilter); empty means decode everything.
   */
  readonly needles: readonly string[];
  /** The pattern that matches this argv, or null. */
  match(argv: readonly string[]): string | null;
}
