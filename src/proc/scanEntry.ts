// One entry of a /proc listing, as the reader's slice loop sees it: read the cmdline (through a
// kept fd when there is one), prefilter, match, and build the sample for a match. Never throws:
// every per-process failure is counted in the scan's stats.
import { hasNeedle, hasTextNeedle } from './cmdlinePrefilter';
import { classifyError } from './errors';
import { parseCmdline } from './parseCmdline';
import { buildSample } from './sampleBuilder';
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
  /** The proc root with a trailing slash. */
  readonly prefix: string;
  /** The fs, buffer and fd cache this scan reads through, and what a match's sample needs. */
  readonly ctx: SampleContext;
  readonly stats: ScanStats;
  readonly samples: ProcessSample[];
}

const NO_ARGV: string[] = [];

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

  // 1. The cmdline, through a kept fd when there is one (pread at 0), else open/read; on the
  //    first scan a text prefilter before that (see ScanState.textPrefilter). Decoding keeps
  //    every valid UTF-8 sequence of the bytes, so a needle in the bytes is in the text;
  //    candidates are read again as bytes, through an fd the identity check relies on.
  let handles = cache.get(pid) ?? null;
  if (handles === null && scan.textPrefilter && !textCandidate(scan, name)) return false;
  let fd = handles?.cmdlineFd;
  let raw: Buffer | undefined;
  if (handles !== null) {
    handles.seenScan = scanNumber;
    try {
      raw = buffer.readFd(fs, handles.cmdlineFd, true);
    } catch {
      // ESRCH: that task is gone; the pid listed now is a new process (or none). Reopen.
      cache.drop(pid);
      handles = null;
      fd = undefined;
    }
  }
  if (fd === undefined) {
    try {
      fd = fs.openSync(scan.prefix + name + '/cmdline');
      raw = buffer.readFd(fs, fd, false);
    } catch (error) {
      if (fd !== undefined) fs.closeSync(fd);
      stats[classifyError(error)]++;
      return false;
    }
  }

  // 2. Byte prefilter, then argv and the matcher only for candidates (and only when the
  //    cmdline changed since the last scan, for a kept task).
  let pattern: string | null = null;
  let argv = NO_ARGV; // shared: a fresh [] per pid would be garbage for every process, every scan
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

  // 3. Keep a newly opened fd for next time while the cache has room, or close it after use.
  const opened = handles === null;
  if (opened && scan.keepFds()) handles = cache.keep(pid, fd, scanNumber);
  if (handles !== null) {
    const memo = handles.memo;
    if (!candidate) handles.memo = null;
    else if (!memo || memo.matcher !== matcher || memo.argv !== argv)
      handles.memo = { raw: Buffer.from(raw!), matcher, argv, pattern };
  }

  // 4. Matches: stat & co., identity re-checked through the still-open fd.
  if (pattern !== null) {
    const outcome = buildSample(scan.ctx, pid, argv, pattern, fd, handles);
    if (outcome.kind === 'ok') {
      scan.samples.push(outcome.sample);
      stats.matched++;
    } else {
      stats[outcome.kind]++;
    }
  } else if (handles !== null && (handles.details !== null || handles.statFd !== null)) {
    cache.forgetMatch(handles); // stopped matching (exec, setproctitle)
  }
  if (opened && handles === null) fs.closeSync(fd);
  return pattern !== null;
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
