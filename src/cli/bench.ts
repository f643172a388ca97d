// In-process benchmark of the reader: one cold scan, then N steady-state scans, with how long
// the event loop was blocked. scripts/bench.mjs compares the figures with a C floor.
import { closeSync, openSync, readSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { DEFAULT_REAPERS } from '../proc/orphan';
import { ProcScanner } from '../proc/reader';
import { createMatcher } from '../watchdog/match';

export interface BenchResult {
  /** Pid directories seen by the last scan. */
  processes: number;
  runs: number;
  coldMs: number;
  scanMs: { median: number; p95: number };
  /** Longest the event loop was blocked during any scan, ms. */
  maxBlockMs: number;
  /**
   * Main-thread CPU time spent between two event-loop turns, at most, ms: the blocking the scan
   * itself causes, without the time the OS gave the CPU to other processes meanwhile.
   */
  maxBlockCpuMs: number;
  /** RSS after the steady-state runs minus RSS after the cold scan, MB. */
  rssGrowthMb: number;
  /** Matched processes in the last scan. */
  matched: number;
  /**
   * CPU time (user + system, whole process) of the same scans, ms: what a scan costs even when
   * other work on the machine preempts it, which inflates wall times on a loaded host.
   */
  cpuMs: { cold: number; median: number; p95: number };
  /**
   * A first scan by a new scanner after the runs: fd cache cold, but the code already compiled
   * and optimized. `coldMs` is a first scan in a fresh process, where V8 still interprets the
   * loop; this one isolates what the reader's design costs on a cache-cold scan.
   */
  coldWarmJit: { ms: number; cpuMs: number };
}

export async function runBench(options: {
  procRoot?: string;
  runs: number;
  patterns?: readonly string[];
}): Promise<BenchResult> {
  const matcher = createMatcher(options.patterns ?? ['pytest']);
  const scanner = new ProcScanner({ procRoot: options.procRoot });
  const runs = Math.max(1, Math.floor(options.runs));
  const thread = new MainThreadCpu();
  try {
    const cold = await timedScan(() => scanner.scan(matcher, DEFAULT_REAPERS), thread);
    if (!cold.result.ok) throw new Error(cold.result.error ?? 'scan failed');
    const rssAfterCold = process.memoryUsage.rss();
    let maxBlockMs = cold.maxBlockMs;
    let maxBlockCpuMs = cold.maxBlockCpuMs;
    const scanMs: number[] = [];
    const cpuMs: number[] = [];
    let last = cold.result;
    for (let i = 0; i < runs; i++) {
      const run = await timedScan(() => scanner.scan(matcher, DEFAULT_REAPERS), thread);
      scanMs.push(run.ms);
      cpuMs.push(run.cpuMs);
      maxBlockMs = Math.max(maxBlockMs, run.maxBlockMs);
      maxBlockCpuMs = Math.max(maxBlockCpuMs, run.maxBlockCpuMs);
      last = run.result;
    }
    const rssGrowthMb = (process.memoryUsage.rss() - rssAfterCold) / (1024 * 1024);
    const fresh = new ProcScanner({ procRoot: options.procRoot });
    const recold = await timedScan(() => fresh.scan(matcher, DEFAULT_REAPERS), thread);
    fresh.dispose();
    maxBlockMs = Math.max(maxBlockMs, recold.maxBlockMs);
    maxBlockCpuMs = Math.max(maxBlockCpuMs, recold.maxBlockCpuMs);
    return {
      processes: last.stats.processes,
      runs,
      coldMs: cold.ms,
      scanMs: { median: percentile(scanMs, 0.5), p95: percentile(scanMs, 0.95) },
      maxBlockMs,
      maxBlockCpuMs,
      rssGrowthMb,
      matched: last.stats.matched,
      cpuMs: { cold: cold.cpuMs, median: percentile(cpuMs, 0.5), p95: percentile(cpuMs, 0.95) },
      coldWarmJit: { ms: recold.ms, cpuMs: recold.cpuMs },
    };
  } finally {
    scanner.dispose();
    thread.close();
  }
}

/**
 * Main-thread CPU time in ms, from /proc/thread-self/schedstat (on-CPU nanoseconds of this
 * thread). process.cpuUsage() counts every thread, so GC and compiler threads running on the
 * other core would be charged to the event loop. The fd is bound to the thread that opened it.
 */
class MainThreadCpu {
  private readonly fd: number | null;
  private readonly buffer = Buffer.alloc(128);

  constructor() {
    let fd: number | null = null;
    try {
      fd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      fd = null; // no schedstat (kernel without CONFIG_SCHED_INFO): fall back to process CPU
    }
    this.fd = fd;
  }

  nowMs(): number {
    if (this.fd !== null) {
      try {
        const n = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
        const ns = Number(this.buffer.toString('latin1', 0, n).split(' ')[0]);
        if (Number.isFinite(ns)) return ns / 1e6;
      } catch {
        // fall through
      }
    }
    const usage = process.cpuUsage();
    return (usage.user + usage.system) / 1000;
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }
}

/**
 * Runs one scan while a setImmediate probe watches the event loop: the largest gap between two
 * probe callbacks is the longest stretch during which nothing else could have run (wall time,
 * which on a loaded host includes time the OS ran other processes), and the main thread's CPU
 * time in that stretch (what the scan itself spent there).
 */
async function timedScan<T>(
  scan: () => Promise<T>,
  thread: MainThreadCpu,
): Promise<{ result: T; ms: number; cpuMs: number; maxBlockMs: number; maxBlockCpuMs: number }> {
  let running = true;
  let maxBlockMs = 0;
  let maxBlockCpuMs = 0;
  let last = performance.now();
  let lastCpu = thread.nowMs();
  const probe = (): void => {
    const now = performance.now();
    const cpu = thread.nowMs();
    maxBlockMs = Math.max(maxBlockMs, now - last);
    maxBlockCpuMs = Math.max(maxBlockCpuMs, cpu - lastCpu);
    last = now;
    lastCpu = cpu;
    if (running) setImmediate(probe);
  };
  setImmediate(probe);
  const cpuStart = process.cpuUsage();
  const started = performance.now();
  const result = await scan();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuStart);
  running = false;
  probe();
  return { result, ms, cpuMs: (cpu.user + cpu.system) / 1000, maxBlockMs, maxBlockCpuMs };
}

/** Nearest-rank percentile of a non-empty list. */
export function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(fraction * sorted.length) - 1));
  return sorted[rank] ?? 0;
}
