// In-process benchmark of the reader: one cold scan, then N steady-state scans, with how long
// the event loop was blocked. scripts/bench.mjs compares the figures with a C floor.
import { loadavg } from 'node:os';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { DEFAULT_REAPERS } from '../proc/orphan';
import { DiagnosingScanner } from '../proc/diagnosingScanner';
import { ProcScanner } from '../proc/reader';
import type { ScanResult } from '../proc/types';
import { createMatcher } from '../watchdog/match';
import { benchReads } from './benchReads';
import type { ReadsReport } from './benchReads';
import { floorRunner } from './benchFloor';
import type { FloorReading } from './benchFloor';

export interface BenchResult {
  /** Pid directories seen by the last scan. */
  processes: number;
  runs: number;
  coldMs: number;
  /**
   * The scans between the cold one and the steady ones (scanEntry.ts: fds kept, then gated
   * GATE_SWITCHES_PER_SCAN a scan): how many, and the dearest, wall and CPU ms.
   */
  warmup: { scans: number; maxMs: number; maxCpuMs: number };
  /** The scans after warm-up while V8 still optimizes on its helper threads: medians, ms. */
  settling: { scans: number; medianMs: number; medianCpuMs: number };
  scanMs: { median: number; p95: number };
  /**
   * Longest the event loop was blocked during any probed scan, ms (wall time): the cold scan,
   * the warm-up scans, `runs` steady scans after the timed ones, and the warm-JIT re-cold scan.
   */
  maxBlockMs: number;
  /**
   * Process CPU time (all threads) within a stretch, at most, ms. Not the main thread alone:
   * GC helper and JIT compiler threads running on the other core count too, so it can exceed
   * the wall figure. (Per-thread CPU is not precise enough here: this kernel accounts
   * /proc/thread-self/schedstat in 4 ms ticks.)
   */
  maxBlockCpuMs: number;
  /**
   * Garbage collection inside the stretches (PerformanceObserver 'gc' entries): the pause
   * within the longest stretch, and the longest stretch with its GC pauses taken out, ms.
   * A GC pause blocks the loop as much as the scan does; this only says what it was made of.
   */
  gc: { inLongestMs: number; longestExGcMs: number; stretchesOver5Ms: number; stretches: number } & {
    /** Of the stretches over 5 ms wall, those with over 5 ms of process CPU too (work, not waiting for a core). */
    busyOver5Ms: number;
  };
  /** Stretches over 5 ms by kind of scan: the cold one, warm-up, the steady runs, the warm-JIT re-cold. */
  over5MsBy: { cold: number; warmup: number; steady: number; recold: number };
  /** The longest stretch (wall ms) in each kind of scan. */
  longestMsBy: { cold: number; warmup: number; steady: number; recold: number };
  /** Wall time the probe watched the event loop, ms (the stretches add up to it). */
  probedMs: number;
  /** os.loadavg() when the bench started and ended (1, 5, 15 min). */
  loadavg: { start: number[]; end: number[] };
  /** 99th percentile of the blocked stretches, wall and CPU, ms. */
  blockP99: { ms: number; cpuMs: number };
  /** RSS after the steady-state runs minus RSS after the cold scan, MB. */
  rssGrowthMb: number;
  /** Matched processes in the last scan. */
  matched: number;
  /** CPU time (user + system, all threads) of the same scans, ms. */
  cpuMs: { cold: number; median: number; p95: number };
  /**
   * A first scan by a new scanner after the runs: fd cache cold, but the code already compiled
   * and optimized. `coldMs` is a first scan in a fresh process, where V8 still interprets the
   * loop; this one isolates what the reader's design costs on a cache-cold scan.
   */
  coldWarmJit: { ms: number; cpuMs: number };
  /**
   * What diagnosis (issues 11, 13) costs: `runs` steady scans of the plain reader and of the
   * diagnosing one, interleaved so both see the same load, medians (wall and CPU, ms).
   */
  interleaved: {
    plainMs: number;
    plainCpuMs: number;
    diagnosedMs: number;
    diagnosedCpuMs: number;
    /**
     * With `floor`: the C floor run between each pair (same load), its median CPU ms, and the
     * medians of each round's plain/floor and diagnosed/floor CPU ratios; null without it.
     */
    floorCpuMs: number | null;
    plainPerFloor: number | null;
    diagnosedPerFloor: number | null;
  };
  /**
   * What the first scan of the editor and of `watch` adds for its second CPU reading
   * (keptScanner.ts: SAMPLE_AFTER_MS later, matches and their descendants): `runs` warm scans with
   * it and without, interleaved, median CPU ms of each (the pause itself costs no CPU).
   */
  secondReading: { withCpuMs: number; withoutCpuMs: number };
  /** What a scan reads, by kind, and the read rules checked (a separate, counting scanner). */
  reads: ReadsReport;
}

interface Timed {
  result: ScanResult;
  ms: number;
  cpuMs: number;
  /** Every stretch between two event-loop turns: [start, wall ms, CPU ms]. */
  blocks: Array<[number, number, number]>;
}

/** As `watch` and the editor run it (see src/cli/keptScanner.ts). */
const BENCH_DIAGNOSIS = { testChildren: true, orphanBudget: 32 } as const;
/** Scans between warm-up and the timed steady ones (see `settling` in runBench). */
const SETTLING_SCANS = 30;
/** Bound on the warm-up scans (2,000 tasks are gated within 5). */
const MAX_WARMUP_SCANS = 20;
type ScanKind = 'cold' | 'warmup' | 'steady' | 'recold';
/** Scans of the counting scanner: enough for 32 new orphans a scan to decide a few hundred. */
const READ_COUNT_SCANS = 10;

export async function runBench(options: {
  procRoot?: string;
  runs: number;
  patterns?: readonly string[];
  /** The compiled scripts/cfloor.c, run between the interleaved scans (BenchResult.interleaved). */
  floor?: string;
}): Promise<BenchResult> {
  const matcher = createMatcher(options.patterns ?? ['pytest']);
  // The reader as the extension and `watch` run it: diagnosis for every match and its
  // descendants, and the search for processes tests left behind (issues 11 and 13).
  const scanner = new DiagnosingScanner({ procRoot: options.procRoot });
  const runs = Math.max(1, Math.floor(options.runs));
  const startLoad = loadavg();
  const blocks: Array<[number, number, number]> = [];
  /** Kind of each probed scan, and its stretches, in order. */
  const blockScans: Array<[ScanKind, number]> = [];
  const gcPauses: Array<[number, number]> = [];
  const gcObserver = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcPauses.push([entry.startTime, entry.duration]);
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const timed = async (target: DiagnosingScanner, probe: ScanKind | null): Promise<Timed> => {
    const run = await timedScan(() => target.scan(matcher, DEFAULT_REAPERS, BENCH_DIAGNOSIS), probe !== null);
    if (probe !== null) {
      blocks.push(...run.blocks);
      blockScans.push([probe, run.blocks.length]);
    }
    return run;
  };
  try {
    const cold = await timed(scanner, 'cold');
    if (!cold.result.ok) throw new Error(cold.result.error ?? 'scan failed');
    // Warm-up: the second scan keeps an fd for each task, and the next few switch the kept
    // tasks to the gate, GATE_SWITCHES_PER_SCAN a scan (src/proc/scanEntry.ts): dearer than a
    // steady scan, so timed apart from the steady ones.
    const warmup: Timed[] = [];
    do warmup.push(await timed(scanner, 'warmup'));
    while (scanner.gating && warmup.length < MAX_WARMUP_SCANS);
    const rssAfterCold = process.memoryUsage.rss();
    // Settling: V8 goes on optimizing the scan's code on its helper threads for a few dozen
    // scans (measured: CPU above wall now and then until ~scan 50, then 11-12 ms both). That
    // CPU is the process's, once; timed apart, so the steady figures are the scans that repeat.
    const settling: Timed[] = [];
    for (let i = 0; i < SETTLING_SCANS; i++) settling.push(await timed(scanner, null));
    const scanMs: number[] = [];
    const cpuMs: number[] = [];
    let last = cold.result;
    // Timed without the probe: while a scan awaits its listing on the thread pool, the probe's
    // setImmediate chain spins the loop (~400 turns a scan), CPU and garbage the scan does not
    // cause. The blocks are measured over as many further steady scans, with the probe.
    for (let i = 0; i < runs; i++) {
      const run = await timed(scanner, null);
      scanMs.push(run.ms);
      cpuMs.push(run.cpuMs);
      last = run.result;
    }
    for (let i = 0; i < runs; i++) await timed(scanner, 'steady');
    const rssGrowthMb = (process.memoryUsage.rss() - rssAfterCold) / (1024 * 1024);
    const floor =
      options.floor === undefined
        ? null
        : floorRunner(options.floor, options.procRoot ?? '/proc', matcher.needles[0] ?? 'pytest');
    const interleaved = await interleave(scanner, matcher, options.procRoot, runs, floor);
    const secondReading = await secondReadingCost(scanner, matcher, runs);
    const fresh = new DiagnosingScanner({ procRoot: options.procRoot });
    const recold = await timed(fresh, 'recold');
    fresh.dispose();
    const reads = await benchReads({
      procRoot: options.procRoot,
      matcher,
      reapers: DEFAULT_REAPERS,
      diagnosis: BENCH_DIAGNOSIS,
      scans: READ_COUNT_SCANS,
    });
    await new Promise((resolve) => setTimeout(resolve, 0)); // let the gc entries arrive
    const gcIn = ([start, ms]: readonly [number, number, number]): number =>
      gcPauses.reduce(
        (sum, [at, d]) => sum + Math.max(0, Math.min(at + d, start + ms) - Math.max(at, start)),
        0,
      );
    const longest = blocks.reduce((a, b) => (b[1] > a[1] ? b : a));
    return {
      processes: last.stats.processes,
      runs,
      coldMs: cold.ms,
      settling: {
        scans: SETTLING_SCANS,
        medianMs: percentile(
          settling.map((t) => t.ms),
          0.5,
        ),
        medianCpuMs: percentile(
          settling.map((t) => t.cpuMs),
          0.5,
        ),
      },
      warmup: {
        scans: warmup.length,
        maxMs: Math.max(...warmup.map((w) => w.ms)),
        maxCpuMs: Math.max(...warmup.map((w) => w.cpuMs)),
      },
      scanMs: { median: percentile(scanMs, 0.5), p95: percentile(scanMs, 0.95) },
      maxBlockMs: longest[1],
      maxBlockCpuMs: Math.max(...blocks.map((b) => b[2])),
      gc: {
        inLongestMs: gcIn(longest),
        longestExGcMs: Math.max(...blocks.map((b) => b[1] - gcIn(b))),
        stretchesOver5Ms: blocks.filter((b) => b[1] > 5).length,
        stretches: blocks.length,
        busyOver5Ms: blocks.filter((b) => b[1] > 5 && b[2] > 5).length,
      },
      loadavg: { start: startLoad, end: loadavg() },
      ...stretchesBy(blocks, blockScans),
      probedMs: blocks.reduce((sum, b) => sum + b[1], 0),
      blockP99: { ms: p99(blocks.map((b) => b[1])), cpuMs: p99(blocks.map((b) => b[2])) },
      rssGrowthMb,
      matched: last.stats.matched,
      cpuMs: { cold: cold.cpuMs, median: percentile(cpuMs, 0.5), p95: percentile(cpuMs, 0.95) },
      coldWarmJit: { ms: recold.ms, cpuMs: recold.cpuMs },
      interleaved,
      secondReading,
      reads,
    };
  } finally {
    gcObserver.disconnect();
    scanner.dispose();
  }
}

/** Pause of the timed second readings: long enough to be a pause, short to keep the bench quick. */
const SECOND_READING_PAUSE_MS = 20;

/** See BenchResult.secondReading. */
async function secondReadingCost(
  scanner: DiagnosingScanner,
  matcher: ReturnType<typeof createMatcher>,
  runs: number,
): Promise<BenchResult['secondReading']> {
  const without: number[] = [];
  const withIt: number[] = [];
  const sampled = { ...BENCH_DIAGNOSIS, sampleAfterMs: SECOND_READING_PAUSE_MS };
  for (let i = 0; i < runs; i++) {
    without.push(
      (await timedScan(() => scanner.scan(matcher, DEFAULT_REAPERS, BENCH_DIAGNOSIS), false)).cpuMs,
    );
    withIt.push((await timedScan(() => scanner.scan(matcher, DEFAULT_REAPERS, sampled), false)).cpuMs);
  }
  return { withCpuMs: percentile(withIt, 0.5), withoutCpuMs: percentile(without, 0.5) };
}

/** Plain reader and diagnosing reader, one scan each in turn (see BenchResult.interleaved). */
async function interleave(
  diagnosing: DiagnosingScanner,
  matcher: ReturnType<typeof createMatcher>,
  procRoot: string | undefined,
  runs: number,
  floor: (() => FloorReading | null) | null,
): Promise<BenchResult['interleaved']> {
  const plain = new ProcScanner({ procRoot });
  const t = {
    plainMs: [] as number[],
    plainCpuMs: [] as number[],
    ms: [] as number[],
    cpuMs: [] as number[],
  };
  const f = { cpuMs: [] as number[], plain: [] as number[], diagnosed: [] as number[] };
  try {
    await plain.scan(matcher, DEFAULT_REAPERS); // its cold scan
    for (let i = 0; i < runs; i++) {
      const c = floor?.() ?? null;
      if (c !== null) {
        // Running the floor forked this process, which write-protects all its pages (copy on
        // write): the next scan pays a page fault for each page it writes, +2.7 ms CPU (13% of
        // the floor) measured here. A scan of each reader, untimed, takes those faults.
        await plain.scan(matcher, DEFAULT_REAPERS);
        await diagnosing.scan(matcher, DEFAULT_REAPERS, BENCH_DIAGNOSIS);
      }
      const a = await timedScan(() => plain.scan(matcher, DEFAULT_REAPERS), false);
      const b = await timedScan(() => diagnosing.scan(matcher, DEFAULT_REAPERS, BENCH_DIAGNOSIS), false);
      t.plainMs.push(a.ms);
      t.plainCpuMs.push(a.cpuMs);
      t.ms.push(b.ms);
      t.cpuMs.push(b.cpuMs);
      if (c !== null) {
        f.cpuMs.push(c.cpuMs);
        f.plain.push(a.cpuMs / c.cpuMs);
        f.diagnosed.push(b.cpuMs / c.cpuMs);
      }
    }
  } finally {
    plain.dispose();
  }
  const median = (xs: number[]): number | null => (xs.length === 0 ? null : percentile(xs, 0.5));
  return {
    plainMs: percentile(t.plainMs, 0.5),
    plainCpuMs: percentile(t.plainCpuMs, 0.5),
    diagnosedMs: percentile(t.ms, 0.5),
    diagnosedCpuMs: percentile(t.cpuMs, 0.5),
    floorCpuMs: median(f.cpuMs),
    plainPerFloor: median(f.plain),
    diagnosedPerFloor: median(f.diagnosed),
  };
}

const cpuNowMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/**
 * Runs one scan, optionally while a setImmediate probe watches the event loop: each gap between
 * two probe callbacks is a stretch during which nothing else could run on it.
 */
async function timedScan(scan: () => Promise<ScanResult>, withProbe: boolean): Promise<Timed> {
  const blocks: Array<[number, number, number]> = [];
  let running = withProbe;
  let last = performance.now();
  let lastCpu = cpuNowMs();
  const probe = (): void => {
    const now = performance.now();
    const cpu = cpuNowMs();
    blocks.push([last, now - last, cpu - lastCpu]);
    last = now;
    lastCpu = cpu;
    if (running) setImmediate(probe);
  };
  if (withProbe) setImmediate(probe);
  const cpuStart = cpuNowMs();
  const started = performance.now();
  const result = await scan();
  const ms = performance.now() - started;
  const cpuMs = cpuNowMs() - cpuStart;
  if (withProbe) {
    running = false;
    probe();
  }
  return { result, ms, cpuMs, blocks };
}

function stretchesBy(
  blocks: ReadonlyArray<readonly [number, number, number]>,
  perScan: ReadonlyArray<readonly [ScanKind, number]>,
): Pick<BenchResult, 'over5MsBy' | 'longestMsBy'> {
  const over5MsBy = { cold: 0, warmup: 0, steady: 0, recold: 0 };
  const longestMsBy = { cold: 0, warmup: 0, steady: 0, recold: 0 };
  let at = 0;
  for (const [kind, n] of perScan) {
    for (let i = at; i < at + n; i++) {
      const ms = blocks[i]![1];
      if (ms > 5) over5MsBy[kind]++;
      longestMsBy[kind] = Math.max(longestMsBy[kind], ms);
    }
    at += n;
  }
  return { over5MsBy, longestMsBy };
}

const p99 = (values: readonly number[]): number => percentile(values, 0.99);

/** Nearest-rank percentile of a non-empty list. */
function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
