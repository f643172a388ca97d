// One entry of a /proc listing, as the reader's slice loop sees it: read the cmdline, prefilter,
// match, and build the sample for a match. Never throws: every per-process failure is counted in
// the scan's stats.
//
// The gate. Once switched (switchToGate), a kept task's fd is its schedstat, not its cmdline: its
// first field is the time the task (its main thread) has spent on a CPU, in ns, and the other two
// move whenever it is scheduled at all. While the three read the same as just before its cmdline
// was last read, the task has not executed an instruction since: it cannot have exec'd or
// retitled itself, and what the matcher said then still holds. A schedstat pread costs about half
// a cmdline read (4.6-6.2 ms against 7.0-12.0 ms for 1,807 kept fds here), and on a machine of
// sleepers most tasks do not run between two scans, so a steady scan reads a few cmdlines
// instead of all. An exec by a thread other than the main one makes that thread the main one,
// whose schedstat then reads differently: seen. What the gate cannot see is such a thread
// retitling the process while the main one sleeps: every cmdline is therefore read anyway once
// in CMDLINE_REFRESH_SCANS scans.
import { hasNeedle, hasTextNeedle } from './cmdlinePrefilter';
import { classifyError } from './errors';
import { parseCmdline } from './parseCmdline';
import { buildSample } from './sampleBuilder';
import type { TaskHandles } from './fdCache';
import type { SampleContext } from './sampleBuilder';
import type { ArgvMatcher, ProcessSample, ScanStats } from './types';

/** What one scan's entries share. */
export interface ScanState {
  /** False once the scanner is disposed (possibly mid-scan): newly opened fds are not kept. */
  readonly keepFds: () => boolean;
  readonly matcher: ArgvMatcher;
  readonly needles: readonly Buffer[];
  /** The same needles as text, for the first scan's prefilter on decoded cmdlines. */
  readonly textNeedles: readonly string[];
  /**
   * The scanner's first scan: pids are prefiltered on one readTextSync call each (open, read and
   * close in one C++ call) and opened (and kept) only when they are candidates. A fresh process
   * still interprets its first scan, where every JS-level fs call costs its argument checks:
   * this makes the first scan, the one a user waits for, cheaper, and the second one (which then
   * opens and keeps the fds) dearer by about as much. ARCHITECTURE.md has the measurements.
   */
  readonly textPrefilter: boolean;
  readonly scanNumber: number;
  /**
   * Gated tasks whose schedstat did not move keep last scan's verdict: false on the first scan
   * and when the matcher changed (a task that was no candidate may be one now).
   */
  readonly gate: boolean;
  /** Whether the root has schedstat files (the scanner's, turned off at the first task without). */
  readonly schedstats: { available: boolean };
  /** Kept tasks this scan may still switch to the gate (GATE_SWITCHES_PER_SCAN). */
  readonly switches: { left: number };
  /** The proc root with a trailing slash. */
  readonly prefix: string;
  /** The fs, buffer and fd cache this scan reads through, and what a match's sample needs. */
  readonly ctx: SampleContext;
  readonly stats: ScanStats;
  readonly samples: ProcessSample[];
}

const NO_ARGV: string[] = [];

/**
 * Every kept task's cmdline is read at least once in this many scans, whatever its schedstat
 * says (the gate cannot see a thread other than the main one retitle the process); spread over
 * the scans by pid, so each scan reads about a sixteenth of them.
 */
export const CMDLINE_REFRESH_SCANS = 16;

/**
 * Kept tasks switched to the gate per scan: opening and reading a schedstat costs about what a
 * cmdline read does, so switching ~2,000 at once made the second scan cost 5× the floor; at this
 * many a scan, the kept tasks of a crowded machine are all gated within a few scans.
 */
export const GATE_SWITCHES_PER_SCAN = 512;

/**
 * One listing entry: cmdline, prefilter, matcher, and the sample for a match. Returns whether
 * it was a match (the expensive kind of entry), for the slice clock.
 */
export function scanEntry(scan: ScanState, name: string): boolean {
  const first = name.charCodeAt(0);
  if (first < 48 || first > 57) return false; // not a pid directory
  const pid = Number(name);
  if (!Number.isInteger(pid)) return false;
  const { stats, matcher, scanNumber } = scan;
  const { fs, cache, buffer } = scan.ctx;
  stats.processes++;

  // 1. A kept task: one pread through its kept fd, of the cmdline itself, or (gated) of its
  //    schedstat, and the cmdline by path only when the task has run since it was last read.
  //    A new task has its cmdline fd opened (and kept while the cache has room), and is gated
  //    on a later scan (GATE_SWITCHES_PER_SCAN); on the first scan a text prefilter comes before
  //    that (see ScanState.textPrefilter). Decoding keeps every valid UTF-8 sequence of the
  //    bytes, so a needle in the bytes is in the text.
  let handles = cache.get(pid) ?? null;
  if (handles === null && scan.textPrefilter && !textCandidate(scan, name)) return false;
  let raw: Buffer | undefined;
  let unchanged = false;
  if (handles !== null) {
    handles.seenScan = scanNumber;
    try {
      if (!handles.gated) {
        const missing =
          scan.switches.left > 0 && scan.schedstats.available && !switchToGate(scan, handles, name);
        raw = buffer.readFd(fs, handles.cmdlineFd ?? handles.fd, true);
        cache.closeCmdline(handles); // when just gated: see switchToGate
        // Its cmdline is there and its schedstat is not: a kernel (or a fake root) without them.
        if (missing) scan.schedstats.available = false;
      } else {
        const bytes = buffer.readFd(fs, handles.fd, true);
        if (scan.gate && hasNotRun(scan, handles, bytes, pid)) unchanged = true;
        else {
          handles.ranAt = copyInto(handles.ranAt, bytes); // before the cmdline: see the header
          raw = buffer.readPath(fs, scan.prefix + name + '/cmdline');
        }
      }
    } catch {
      // A kept fd fails (ESRCH) once its task is gone, and the pid listed now is a new process
      // or none; a cmdline read by path fails when the task went away meanwhile. Either way it
      // is opened afresh below, which counts what cannot be read.
      cache.drop(pid);
      handles = null;
      unchanged = false;
    }
  }
  let closeAfter: number | undefined;
  if (handles === null) {
    let fd: number | undefined;
    try {
      fd = fs.openSync(scan.prefix + name + '/cmdline');
      raw = buffer.readFd(fs, fd, false);
    } catch (error) {
      if (fd !== undefined) fs.closeSync(fd);
      stats[classifyError(error)]++;
      return false;
    }
    handles = scan.keepFds() ? cache.keep(pid, fd, scanNumber) : null;
    if (handles === null) closeAfter = fd;
  }
  const taskFd = handles?.fd ?? closeAfter!;

  // 2. Byte prefilter, then argv and the matcher only for candidates (and only when the
  //    cmdline changed since the last scan, for a kept task). An unchanged task's verdict is
  //    the one of the scan that last read its cmdline.
  let pattern: string | null = null;
  let argv = NO_ARGV; // shared: a fresh [] per pid would be garbage for every process, every scan
  if (unchanged) {
    const memo = handles!.memo; // null: it was no candidate
    if (memo !== null) ({ argv, pattern } = memo);
  } else {
    const candidate = raw!.length > 0 && (scan.needles.length === 0 || hasNeedle(raw!, scan.needles));
    if (candidate) {
      const memo = handles?.memo;
      if (memo && memo.matcher === matcher && memo.raw.equals(raw!)) {
        ({ argv, pattern } = memo);
      } else {
        argv = parseCmdline(raw!);
        pattern = argv.length > 0 ? safeMatch(matcher, argv) : null;
      }
    }
    if (handles !== null) {
      const memo = handles.memo;
      if (!candidate) handles.memo = null;
      else if (!memo || memo.matcher !== matcher || memo.argv !== argv)
        handles.memo = { raw: Buffer.from(raw!), matcher, argv, pattern };
    }
  }

  // 3. Matches: stat & co., identity re-checked through an fd bound to the task.
  if (pattern !== null) {
    const outcome = buildSample(scan.ctx, pid, argv, pattern, taskFd, handles);
    if (outcome.kind === 'ok') {
      scan.samples.push(outcome.sample);
      stats.matched++;
    } else {
      stats[outcome.kind]++;
    }
  } else if (handles !== null && (handles.details !== null || handles.statFd !== null)) {
    cache.forgetMatch(handles); // stopped matching (exec, setproctitle)
  }
  if (closeAfter !== undefined) fs.closeSync(closeAfter);
  return pattern !== null;
}

/**
 * Whether a gated task has not run since its cmdline was last read: its schedstat reads the same
 * (and is not "0 0 0", what a kernel without schedstats shows), the matcher is the one that
 * judged it, and this is not its scan to be read anyway (CMDLINE_REFRESH_SCANS).
 */
function hasNotRun(scan: ScanState, handles: TaskHandles, bytes: Buffer, pid: number): boolean {
  const ranAt = handles.ranAt;
  if (ranAt === null || (pid + scan.scanNumber) % CMDLINE_REFRESH_SCANS === 0) return false;
  if (handles.memo !== null && handles.memo.matcher !== scan.matcher) return false;
  if (bytes[0] === 48 && bytes[1] === 32) return false; // runtime 0: no schedstats here
  if (ranAt.length !== bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (ranAt[i] !== bytes[i]) return false;
  return true;
}

/** `bytes` copied into `into` when it has their length (no garbage per task), else a new copy. */
function copyInto(into: Buffer | null, bytes: Buffer): Buffer {
  if (into === null || into.length !== bytes.length) return Buffer.from(bytes);
  bytes.copy(into);
  return into;
}

/**
 * Switches a kept task to the gate: its schedstat fd is opened and read now, before the caller
 * reads the cmdline through the old fd (which it then closes). That read succeeding proves the
 * task was alive throughout, so the schedstat opened by path is its own. False when there is no
 * schedstat file (a kernel without schedstats, a fake root, or a task that is gone: the caller's
 * cmdline read tells which); any other failure leaves the task ungated until a later scan.
 */
function switchToGate(scan: ScanState, handles: TaskHandles, name: string): boolean {
  const { fs, buffer } = scan.ctx;
  scan.switches.left--;
  let fd: number | undefined;
  try {
    fd = fs.openSync(scan.prefix + name + '/schedstat');
    const ranAt = Buffer.from(buffer.readFd(fs, fd, false));
    scan.ctx.cache.gate(handles, fd, ranAt);
    return true;
  } catch (error) {
    if (fd !== undefined) fs.closeSync(fd);
    return fd !== undefined || (error as { code?: unknown } | null)?.code !== 'ENOENT';
  }
}

/** Prefilter on the cmdline as text: false for a non-candidate or an unreadable one (counted). */
function textCandidate(scan: ScanState, name: string): boolean {
  let text: string;
  try {
    text = scan.ctx.fs.readTextSync(scan.prefix + name + '/cmdline');
  } catch (error) {
    scan.stats[classifyError(error)]++;
    return false;
  }
  return text.length > 0 && (scan.textNeedles.length === 0 || hasTextNeedle(text, scan.textNeedles));
}

// A throwing matcher is a bug elsewhere; it must not leak this scan's open fd or abort the scan.
function safeMatch(matcher: ArgvMatcher, argv: readonly string[]): string | null {
  try {
    return matcher.match(argv);
  } catch {
    return null;
  }
}
