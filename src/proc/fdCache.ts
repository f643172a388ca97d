// Bounded cache of kept-open /proc/<pid> fds, one task per entry, for steady-state scans.
//
// Why this is safe under PID reuse: an open /proc/<pid>/* fd is bound to the task it was opened
// for, not to the number. Re-reading it at position 0 returns that task's current content (also
// after an exec); once the task is reaped the read fails with ESRCH, and a new process that gets
// the same pid is never read through the old fd (test/real/pidReuse.test.ts proves this in a
// private pid namespace). So an fd that still reads means "same process as when opened".
import type { ProcFs } from './procFs';

/** What is known about a matched task; constant for its life, so read once (status, cgroup). */
export interface TaskDetails {
  readonly starttime: number;
  readonly uid: number | null;
  readonly nspid: readonly number[] | null;
  readonly containerId: string | null;
}

export interface TaskHandles {
  /** The fd kept for this task: its cmdline, and once gated its schedstat. Bound to the task. */
  fd: number;
  /** `fd` is the task's schedstat: its cmdline is read only once the task has run (scanEntry.ts). */
  gated: boolean;
  /** Within the scan that gates it: its cmdline fd, read once more, then closed. */
  cmdlineFd: number | null;
  /**
   * schedstat as read just before the cmdline was last read (gated entries): while it reads the
   * same, the task has not run since, so its cmdline is unchanged.
   */
  ranAt: Buffer | null;
  /** The scan that last listed this pid; entries not listed by the latest scan are dropped. */
  seenScan: number;
  /**
   * The last candidate cmdline (passed the byte prefilter) and what the matcher said about it:
   * an unchanged cmdline is not decoded and matched again.
   */
  memo: { raw: Buffer; matcher: object; argv: string[]; pattern: string | null } | null;
  /** Kept stat fd of a matched task, opened and identity-checked once; null until then. */
  statFd: number | null;
  details: TaskDetails | null;
}

export class FdCache {
  private readonly tasks = new Map<number, TaskHandles>();
  private fdCount = 0;
  private ungatedCount = 0;

  constructor(
    private readonly fs: ProcFs,
    /** Most fds kept at once; beyond it the reader falls back to open/read/close. */
    readonly capacity: number,
  ) {}

  /** Number of fds currently kept open. */
  get size(): number {
    return this.fdCount;
  }

  /** Kept tasks read through their cmdline fd still (not gated yet). */
  get ungated(): number {
    return this.ungatedCount;
  }

  get(pid: number): TaskHandles | undefined {
    return this.tasks.get(pid);
  }

  /** Keeps the cmdline fd `fd` for `pid` if there is room; returns the entry, or null (caller closes). */
  keep(pid: number, fd: number, scan: number): TaskHandles | null {
    if (this.fdCount >= this.capacity || this.tasks.has(pid)) return null;
    const handles: TaskHandles = {
      fd,
      gated: false,
      cmdlineFd: null,
      ranAt: null,
      seenScan: scan,
      memo: null,
      statFd: null,
      details: null,
    };
    this.tasks.set(pid, handles);
    this.fdCount++;
    this.ungatedCount++;
    return handles;
  }

  /** Gates a kept entry: `schedstatFd` becomes its fd; its cmdline fd waits for closeCmdline. */
  gate(handles: TaskHandles, schedstatFd: number, ranAt: Buffer): void {
    handles.cmdlineFd = handles.fd;
    handles.fd = schedstatFd;
    handles.gated = true;
    handles.ranAt = ranAt;
    this.fdCount++;
    this.ungatedCount--;
  }

  /** Closes the cmdline fd a gated entry kept for the scan that gated it. */
  closeCmdline(handles: TaskHandles): void {
    if (handles.cmdlineFd === null) return;
    this.closeQuietly(handles.cmdlineFd);
    handles.cmdlineFd = null;
    this.fdCount--;
  }

  /** Adds a stat fd to a kept entry if there is room; false means the caller closes it. */
  keepStat(handles: TaskHandles, statFd: number): boolean {
    if (this.fdCount >= this.capacity || handles.statFd !== null) return false;
    handles.statFd = statFd;
    this.fdCount++;
    return true;
  }

  /** Forgets what was kept for a task that stopped matching (its own kept fd stays). */
  forgetMatch(handles: TaskHandles): void {
    if (handles.statFd !== null) {
      this.closeQuietly(handles.statFd);
      handles.statFd = null;
      this.fdCount--;
    }
    handles.details = null;
  }

  drop(pid: number): void {
    const handles = this.tasks.get(pid);
    if (handles === undefined) return;
    this.forgetMatch(handles);
    this.closeCmdline(handles);
    if (!handles.gated) this.ungatedCount--;
    this.tasks.delete(pid);
    this.closeQuietly(handles.fd);
    this.fdCount--;
  }

  /**
   * Drops the entries of pids the scan `scan` did not list (processes that are gone). forEach
   * on the Map itself (deleting the current entry is safe there): copying it into an array of
   * [pid, entry] pairs was ~280 KB of garbage per scan at 2,000 pids, and even a for-of
   * iterator ~120 KB, the largest share of a steady scan's allocation (scavenge pauses).
   */
  retain(scan: number): void {
    this.tasks.forEach((handles, pid) => {
      if (handles.seenScan !== scan) this.drop(pid);
    });
  }

  clear(): void {
    this.tasks.forEach((_handles, pid) => this.drop(pid));
  }

  private closeQuietly(fd: number): void {
    try {
      this.fs.closeSync(fd);
    } catch {
      // Already closed or invalid: nothing left to release.
    }
  }
}
