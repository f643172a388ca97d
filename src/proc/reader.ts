// The /proc reader: walks a proc root, reads every cmdline, and builds samples for matches.
// Never rejects; counts vanished/denied/malformed instead of logging per process.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { USER_HZ } from './constants';
import { classifyError } from './errors';
import { FdCache } from './fdCache';
import { parseCmdline } from './parseCmdline';
import { parseUptime } from './parseUptime';
import { nodeProcFs } from './procFs';
import type { ProcFs } from './procFs';
import { ReadBuffer } from './readBuffer';
import { buildSample } from './sampleBuilder';
import type { SampleContext } from './sampleBuilder';
import type { ArgvMatcher, ProcessSample, ScanResult, ScanStats } from './types';
import { defaultFdCapacity } from './fdLimit';

export interface ProcScannerOptions {
  /** Default '/proc'. */
  procRoot?: string;
  /** Most cmdline fds kept open between scans; default min(4096, half the soft RLIMIT_NOFILE). */
  maxCachedFds?: number;
  /** Longest synchronous stretch before yielding to the event loop; default 2 ms. */
  sliceMs?: number;
  /** Clock ticks per second of stat times; default USER_HZ (100). */
  userHz?: number;
  /** fs seam for tests (wrap to observe or inject errors); default node:fs. */
  fs?: ProcFs;
}

// Every scan, the cold one included, keeps each newly opened cmdline fd while the cache has
// room: keeping costs no more than closing (measured here: ~23 ms vs ~27 ms of system time for
// ~2,000 processes, JIT warm), and the next scan is then a steady one.
// How many pids between clock checks: ~10 µs each when optimized, but 10× that while V8 still
// interprets the first scan, or for a match (a dozen reads), so check often; a check is ~50 ns.
const PIDS_PER_CLOCK_CHECK = 8;

// TEXT_FIRST_SCAN: a fresh process interprets its first scan, and there each JS-level fs call
// (openSync/readSync validate their arguments in JS) costs several µs: one readTextSync per pid
// (open, read and close in one C++ call) is the cheapest way to see every cmdline then. Measured
// in fresh processes, ~2,000 pids, CPU ms of scans 1/2/3: 76-90/68-84/43-54 this way, against
// 104-136/34-64/31-56 when the first scan opens and keeps every fd: the first scan is ~30 ms
// cheaper, the second (which then opens and keeps the fds, while V8 warms that path) as much
// dearer, the sum about the same. The first scan is the one a user waits for.

/** What one scan's entries share. */
interface ScanState {
  readonly matcher: ArgvMatcher;
  readonly needles: readonly Buffer[];
  /** The same needles as text, for the first scan's prefilter on decoded cmdlines. */
  readonly textNeedles: readonly string[];
  /**
   * The scanner's first scan: pids are prefiltered on one readTextSync call each and opened
   * (and kept) only when they are candidates. See TEXT_FIRST_SCAN.
   */
  readonly textPrefilter: boolean;
  readonly scanNumber: number;
  /** The proc root with a trailing slash. */
  readonly prefix: string;
  readonly ctx: SampleContext;
  readonly stats: ScanStats;
  readonly samples: ProcessSample[];
}

const NO_ARGV: string[] = [];

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ProcScanner {
  private readonly procRoot: string;
  private readonly sliceMs: number;
  private readonly userHz: number;
  private readonly fs: ProcFs;
  private readonly buffer = new ReadBuffer();
  private readonly cache: FdCache;
  private scans = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;
  /** Longest synchronous stretch of the last scan, ms (what the event loop saw blocked). */
  lastLongestSliceMs = 0;

  constructor(options: ProcScannerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.sliceMs = options.sliceMs ?? 2;
    this.userHz = options.userHz ?? USER_HZ;
    this.fs = options.fs ?? nodeProcFs;
    this.cache = new FdCache(this.fs, Math.max(0, options.maxCachedFds ?? defaultFdCapacity()));
  }

  /** Number of cmdline fds currently kept open. */
  get cachedFds(): number {
    return this.cache.size;
  }

  /** Scans are serialized: they share the buffer and the fd cache. Never rejects. */
  scan(matcher: ArgvMatcher, reapers: readonly string[]): Promise<ScanResult> {
    const run = this.queue.then(() => this.scanNow(matcher, reapers));
    this.queue = run.catch(() => undefined);
    return run.catch((error: unknown) => failed(`scan failed: ${String(error)}`, 0, 0));
  }

  /** Closes every kept fd; later scans work but keep nothing. */
  dispose(): void {
    this.disposed = true;
    this.cache.clear();
  }

  private async scanNow(matcher: ArgvMatcher, reapers: readonly string[]): Promise<ScanResult> {
    const started = performance.now();
    let sliceStart = started;
    let longest = 0;
    const scanNumber = ++this.scans;

    let names: string[];
    let uptimeSeconds: number;
    try {
      const uptime = parseUptime(this.fs.readFileSync(join(this.procRoot, 'uptime')).toString('utf8'));
      if (!uptime.ok)
        return failed(`${this.procRoot}/uptime: ${uptime.error}`, 0, performance.now() - started);
      uptimeSeconds = uptime.value;
    } catch (error) {
      return failed(`cannot read ${this.procRoot}: ${errorCode(error)}`, 0, performance.now() - started);
    }
    // The listing is awaited (thread pool), so the stretch before it is a slice of its own.
    longest = performance.now() - sliceStart;
    try {
      names = await this.fs.readdir(this.procRoot);
    } catch (error) {
      // An incomplete listing must not look like processes that exited: fail the whole scan.
      return failed(`cannot list ${this.procRoot}: ${errorCode(error)}`, 0, performance.now() - started);
    }
    sliceStart = performance.now();

    const stats: ScanStats = {
      processes: 0,
      matched: 0,
      vanished: 0,
      denied: 0,
      malformed: 0,
      durationMs: 0,
    };
    const samples: ProcessSample[] = [];
    const needles = matcher.needles.map((n) => Buffer.from(n, 'utf8'));
    const prefix = this.procRoot.endsWith('/') ? this.procRoot : this.procRoot + '/';
    const ctx: SampleContext = {
      fs: this.fs,
      rootSlash: prefix,
      cache: this.cache,
      buffer: this.buffer,
      userHz: this.userHz,
      uptimeSeconds,
      reapers,
      parentComms: new Map(),
    };

    const scan: ScanState = {
      matcher,
      needles,
      textNeedles: matcher.needles,
      textPrefilter: scanNumber === 1,
      scanNumber,
      prefix,
      ctx,
      stats,
      samples,
    };
    for (let next = 0; ;) {
      next = this.runSlice(scan, names, next, sliceStart + this.sliceMs);
      if (next >= names.length) break;
      longest = Math.max(longest, performance.now() - sliceStart);
      await yieldToLoop();
      sliceStart = performance.now();
    }

    this.cache.retain(scanNumber);
    const end = performance.now();
    this.lastLongestSliceMs = Math.max(longest, end - sliceStart);
    stats.durationMs = end - started;
    return { ok: true, uptimeSeconds, samples, stats };
  }

  /**
   * Scans `names` from index `from` until they run out or the time is up; returns the index to
   * go on from. Plain synchronous methods, not the async loop itself: V8 optimizes a function
   * called thousands of times per scan, while an async function resumed after each yield would
   * rerun in bytecode. Never throws (scanEntry counts every per-process failure).
   */
  private runSlice(scan: ScanState, names: readonly string[], from: number, deadline: number): number {
    let i = from;
    let work = 0;
    while (i < names.length) {
      // A match (a dozen reads and parses) counts as a whole check interval: 8 matches in a
      // row (pytest workers get consecutive pids) overran a 2 ms slice by ~3 ms on a cold scan.
      work += this.scanEntry(scan, names[i]!) ? PIDS_PER_CLOCK_CHECK : 1;
      i++;
      if (work >= PIDS_PER_CLOCK_CHECK) {
        work = 0;
        if (performance.now() >= deadline) break;
      }
    }
    return i;
  }

  /** Prefilter on the cmdline as text: false for a non-candidate or an unreadable one (counted). */
  private textCandidate(scan: ScanState, name: string): boolean {
    let text: string;
    try {
      text = this.fs.readTextSync(scan.prefix + name + '/cmdline');
    } catch (error) {
      count(scan.stats, classifyError(error));
      return false;
    }
    return text.length > 0 && (scan.textNeedles.length === 0 || hasTextNeedle(text, scan.textNeedles));
  }

  /**
   * One listing entry: cmdline, prefilter, matcher, and the sample for a match. Returns whether
   * it was a match (the expensive kind of entry), for the slice clock.
   */
  private scanEntry(scan: ScanState, name: string): boolean {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) return false; // not a pid directory
    const pid = Number(name);
    if (!Number.isInteger(pid)) return false;
    const { stats, matcher, scanNumber } = scan;
    stats.processes++;

    // 1. The cmdline, through a kept fd when there is one (pread at 0), else open/read; on the
    //    first scan a text prefilter before that (see ScanState.textPrefilter). Decoding keeps
    //    every valid UTF-8 sequence of the bytes, so a needle in the bytes is in the text;
    //    candidates are read again as bytes, through an fd the identity check relies on.
    let handles = this.cache.get(pid) ?? null;
    if (handles === null && scan.textPrefilter && !this.textCandidate(scan, name)) return false;
    let fd = handles?.cmdlineFd;
    let raw: Buffer | undefined;
    if (handles !== null) {
      handles.seenScan = scanNumber;
      try {
        raw = this.buffer.readFd(this.fs, handles.cmdlineFd, true);
      } catch {
        // ESRCH: that task is gone; the pid listed now is a new process (or none). Reopen.
        this.cache.drop(pid);
        handles = null;
        fd = undefined;
      }
    }
    if (fd === undefined) {
      try {
        fd = this.fs.openSync(scan.prefix + name + '/cmdline');
        raw = this.buffer.readFd(this.fs, fd, false);
      } catch (error) {
        if (fd !== undefined) this.fs.closeSync(fd);
        count(stats, classifyError(error));
        return false;
      }
    }

    // 2. Byte prefilter, then argv and the matcher only for candidates (and only when the
    //    cmdline changed since the last scan, for a kept task).
    let pattern: string | null = null;
    let argv = NO_ARGV; // shared: a fresh [] per pid was ~2,000 garbage arrays a scan
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
    if (opened && !this.disposed) handles = this.cache.keep(pid, fd!, scanNumber);
    if (handles !== null) {
      const memo = handles.memo;
      if (!candidate) handles.memo = null;
      else if (!memo || memo.matcher !== matcher || memo.argv !== argv)
        handles.memo = { raw: Buffer.from(raw!), matcher, argv, pattern };
    }

    // 4. Matches: stat & co., identity re-checked through the still-open fd.
    if (pattern !== null) {
      const outcome = buildSample(scan.ctx, pid, argv, pattern, fd!, handles);
      if (outcome.kind === 'ok') {
        scan.samples.push(outcome.sample);
        stats.matched++;
      } else {
        count(stats, outcome.kind);
      }
    } else if (handles !== null && (handles.details !== null || handles.statFd !== null)) {
      this.cache.forgetMatch(handles); // stopped matching (exec, setproctitle)
    }
    if (opened && handles === null) this.fs.closeSync(fd!);
    return pattern !== null;
  }
}

/** One-shot scan: no fd is kept after it returns. Never rejects. */
export async function scanProc(options: {
  procRoot?: string;
  matcher: ArgvMatcher;
  reapers: readonly string[];
}): Promise<ScanResult> {
  const scanner = new ProcScanner({ procRoot: options.procRoot, maxCachedFds: 0 });
  try {
    return await scanner.scan(options.matcher, options.reapers);
  } finally {
    scanner.dispose();
  }
}

function hasTextNeedle(text: string, needles: readonly string[]): boolean {
  for (const needle of needles) if (text.includes(needle)) return true;
  return false;
}

// A plain byte loop rather than Buffer#indexOf: a cmdline is tens of bytes, and indexOf is a
// validated JS wrapper around a C++ call, once per needle per pid, every scan.
function hasNeedle(raw: Buffer, needles: readonly Buffer[]): boolean {
  for (const needle of needles) {
    if (needle.length === 0) return true; // as indexOf: the empty string is everywhere
    const first = needle[0];
    const last = raw.length - needle.length;
    for (let i = 0; i <= last; i++) {
      if (raw[i] !== first) continue;
      let j = 1;
      while (j < needle.length && raw[i + j] === needle[j]) j++;
      if (j === needle.length) return true;
    }
  }
  return false;
}

// A throwing matcher is a bug elsewhere; it must not leak this scan's open fd or abort the scan.
function safeMatch(matcher: ArgvMatcher, argv: readonly string[]): string | null {
  try {
    return matcher.match(argv);
  } catch {
    return null;
  }
}

function errorCode(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? String(error);
}

function count(stats: ScanStats, kind: 'vanished' | 'denied' | 'malformed'): void {
  stats[kind]++;
}

function failed(error: string, processes: number, durationMs: number): ScanResult {
  return {
    ok: false,
    error,
    uptimeSeconds: 0,
    samples: [],
    stats: { processes, matched: 0, vanished: 0, denied: 0, malformed: 0, durationMs },
  };
}
