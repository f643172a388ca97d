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
import type { ProcDir, ProcFs } from './procFs';
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

type SliceOutcome = 'more' | 'done';

/** What one scan's entries share. */
interface ScanState {
  readonly matcher: ArgvMatcher;
  readonly needles: readonly Buffer[];
  readonly scanNumber: number;
  /** The proc root with a trailing slash. */
  readonly prefix: string;
  readonly ctx: SampleContext;
  readonly stats: ScanStats;
  readonly samples: ProcessSample[];
}

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

    let dir: ProcDir;
    let uptimeSeconds: number;
    try {
      const uptime = parseUptime(this.fs.readFileSync(join(this.procRoot, 'uptime')).toString('utf8'));
      if (!uptime.ok)
        return failed(`${this.procRoot}/uptime: ${uptime.error}`, 0, performance.now() - started);
      uptimeSeconds = uptime.value;
      dir = this.fs.opendirSync(this.procRoot);
    } catch (error) {
      return failed(`cannot read ${this.procRoot}: ${errorCode(error)}`, 0, performance.now() - started);
    }

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

    const scan: ScanState = { matcher, needles, scanNumber, prefix, ctx, stats, samples };
    try {
      for (;;) {
        let outcome: SliceOutcome;
        try {
          outcome = this.runSlice(scan, dir, sliceStart + this.sliceMs);
        } catch (error) {
          // An incomplete listing must not look like processes that exited.
          return failed(
            `cannot list ${this.procRoot}: ${errorCode(error)}`,
            stats.processes,
            performance.now() - started,
          );
        }
        if (outcome === 'done') break;
        longest = Math.max(longest, performance.now() - sliceStart);
        await yieldToLoop();
        sliceStart = performance.now();
      }
    } finally {
      closeQuietly(dir);
    }

    this.cache.retain(scanNumber);
    const end = performance.now();
    this.lastLongestSliceMs = Math.max(longest, end - sliceStart);
    stats.durationMs = end - started;
    return { ok: true, uptimeSeconds, samples, stats };
  }

  /**
   * Reads listing entries until the listing ends ('done') or the time is up ('more'). Plain
   * synchronous methods, not the async loop itself: V8 optimizes a function called thousands of
   * times per scan, while an async function resumed after each yield would rerun in bytecode.
   * Throws only when the listing itself cannot be read.
   */
  private runSlice(scan: ScanState, dir: ProcDir, deadline: number): SliceOutcome {
    for (let i = 1; ; i++) {
      const name = dir.readSync();
      if (name === null) return 'done';
      this.scanEntry(scan, name);
      if (i % PIDS_PER_CLOCK_CHECK === 0 && performance.now() >= deadline) return 'more';
    }
  }

  /** One listing entry: cmdline, prefilter, matcher, and the sample for a match. */
  private scanEntry(scan: ScanState, name: string): void {
    const first = name.charCodeAt(0);
    if (first < 48 || first > 57) return; // not a pid directory
    const pid = Number(name);
    if (!Number.isInteger(pid)) return;
    const { stats, matcher, scanNumber } = scan;
    stats.processes++;

    // 1. The cmdline, through a kept fd when there is one (pread at 0), else open/read.
    let handles = this.cache.get(pid) ?? null;
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
        return;
      }
    }

    // 2. Byte prefilter, then argv and the matcher only for candidates (and only when the
    //    cmdline changed since the last scan, for a kept task).
    let pattern: string | null = null;
    let argv: string[] = [];
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

function hasNeedle(raw: Buffer, needles: readonly Buffer[]): boolean {
  for (const needle of needles) if (raw.indexOf(needle) >= 0) return true;
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

function closeQuietly(dir: ProcDir): void {
  try {
    dir.closeSync();
  } catch {
    // Already closed.
  }
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
