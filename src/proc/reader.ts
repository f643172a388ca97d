// The /proc reader: walks a proc root, reads every cmdline, and builds samples for matches.
// Never rejects; counts vanished/denied/malformed instead of logging per process.
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { USER_HZ } from './constants';
import { FdCache } from './fdCache';
import { defaultFdCapacity } from './fdLimit';
import { parseUptime } from './parseUptime';
import { nodeProcFs } from './procFs';
import type { ProcFs } from './procFs';
import { ReadBuffer } from './readBuffer';
import type { SampleContext } from './sampleBuilder';
import { GATE_SWITCHES_PER_SCAN, scanEntry } from './scanEntry';
import type { ScanState } from './scanEntry';
import type { ArgvMatcher, ProcessSample, ScanResult, ScanStats } from './types';

export interface ProcScannerOptions {
  /** Default '/proc'. */
  procRoot?: string;
  /** Most fds kept open between scans; default min(4096, half the soft RLIMIT_NOFILE). */
  maxCachedFds?: number;
  /** Longest synchronous stretch before yielding to the event loop; default 2 ms. */
  sliceMs?: number;
  /** Clock ticks per second of stat times; default USER_HZ (100). */
  userHz?: number;
  /** fs seam for tests (wrap to observe or inject errors); default node:fs. */
  fs?: ProcFs;
  /**
   * Read each match's cwd link (default true). The diagnosing scanner reads it itself, only for
   * a match that has run since the last scan (a process that has not cannot have changed it).
   */
  readCwd?: boolean;
}

// Every scan, the cold one included, keeps the cmdline fd of each newly opened task while the
// cache has room, and later scans switch kept tasks to their schedstat fd (the gate:
// scanEntry.ts), after which a scan is a steady one.
// How many pids between clock checks: a pid is cheap once V8 has optimized the loop, but many
// times dearer while it still interprets the first scan, or for a match (a dozen reads), so
// check often; a check costs far less than a pid. (Figures: ARCHITECTURE.md.)
const PIDS_PER_CLOCK_CHECK = 8;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class ProcScanner {
  private readonly procRoot: string;
  private readonly sliceMs: number;
  private readonly userHz: number;
  private readonly fs: ProcFs;
  private readonly readCwd: boolean;
  private readonly buffer = new ReadBuffer();
  private readonly cache: FdCache;
  private scans = 0;
  /** The matcher of the last scan: the gate (scanEntry.ts) holds only while it is the same. */
  private lastMatcher: ArgvMatcher | null = null;
  private readonly schedstats = { available: true };
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  constructor(options: ProcScannerOptions = {}) {
    this.procRoot = options.procRoot ?? '/proc';
    this.sliceMs = options.sliceMs ?? 2;
    this.userHz = options.userHz ?? USER_HZ;
    this.fs = options.fs ?? nodeProcFs;
    this.readCwd = options.readCwd ?? true;
    this.cache = new FdCache(this.fs, Math.max(0, options.maxCachedFds ?? defaultFdCapacity()));
  }

  /** Number of fds currently kept open (tests check the cap and that dispose closes all). */
  get cachedFds(): number {
    return this.cache.size;
  }

  /**
   * Kept tasks are waiting to be switched to the gate (GATE_SWITCHES_PER_SCAN a scan): the next
   * scan still costs more than a steady one. False on a root without schedstat files.
   */
  get gating(): boolean {
    return this.schedstats.available && this.cache.ungated > 0;
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
    try {
      names = await this.fs.readdir(this.procRoot);
    } catch (error) {
      // An incomplete listing must not look like processes that exited: fail the whole scan.
      return failed(`cannot list ${this.procRoot}: ${errorCode(error)}`, 0, performance.now() - started);
    }
    let sliceStart = performance.now();

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
      readCwd: this.readCwd,
    };

    const gate = matcher === this.lastMatcher;
    this.lastMatcher = matcher;
    const scan: ScanState = {
      keepFds: () => !this.disposed,
      matcher,
      needles,
      textNeedles: matcher.needles,
      textPrefilter: scanNumber === 1,
      scanNumber,
      gate,
      schedstats: this.schedstats,
      switches: { left: GATE_SWITCHES_PER_SCAN },
      prefix,
      ctx,
      stats,
      samples,
    };
    for (let next = 0; ;) {
      next = this.runSlice(scan, names, next, sliceStart + this.sliceMs);
      if (next >= names.length) break;
      await yieldToLoop();
      sliceStart = performance.now();
    }

    this.cache.retain(scanNumber);
    stats.durationMs = performance.now() - started;
    return { ok: true, uptimeSeconds, samples, stats };
  }

  /**
   * Scans `names` from index `from` until they run out or the time is up; returns the index to
   * go on from. Plain synchronous functions, not the async loop itself: V8 optimizes a function
   * called thousands of times per scan, while an async function resumed after each yield would
   * rerun in bytecode. Never throws (scanEntry counts every per-process failure).
   */
  private runSlice(scan: ScanState, names: readonly string[], from: number, deadline: number): number {
    let i = from;
    let work = 0;
    while (i < names.length) {
      // A match (a dozen reads and parses) counts as a whole check interval: pytest workers get
      // consecutive pids, and a row of matches between two checks overran the slice.
      work += scanEntry(scan, names[i]!) ? PIDS_PER_CLOCK_CHECK : 1;
      i++;
      if (work >= PIDS_PER_CLOCK_CHECK) {
        work = 0;
        if (performance.now() >= deadline) break;
      }
    }
    return i;
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

function errorCode(error: unknown): string {
  return (error as { code?: string } | null)?.code ?? String(error);
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
