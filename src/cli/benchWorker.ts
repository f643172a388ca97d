// What the editor's event loop sees while its scans run on the worker thread
// (src/proc/workerScanner.ts), against the same scans on the loop itself: the kept scanner the
// extension runs, scanning back to back (the first scan with its second CPU reading, then the
// warm-up, settling and steady scans), while a 1 ms timer on this thread records the gaps between
// its ticks (a gap includes the 1 ms). One instrument for both ways.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { KeptScanner } from '../proc/keptScanner';
import { DEFAULT_REAPERS } from '../proc/orphan';
import type { ScanResult } from '../proc/types';
import { WorkerScanner } from '../proc/workerScanner';
import { createMatcher } from '../watchdog/match';

export interface LoopGaps {
  /** Scans after the first. */
  readonly scans: number;
  /** Longest gap between two ticks of a 1 ms timer on the main thread, and its p99, ms, after the first scan. */
  readonly maxGapMs: number;
  readonly p99GapMs: number;
  /** Longest gap during the first scan (on the worker: it starts the worker), ms. */
  readonly firstScanMaxGapMs: number;
  /** Median CPU of the last third of the scans, ms (the process: every thread). */
  readonly steadyCpuMs: number;
}

export interface WorkerBench {
  readonly worker: LoopGaps;
  readonly loop: LoopGaps;
}

interface Scans {
  scan(config: Parameters<KeptScanner['scan']>[0]): Promise<ScanResult>;
  dispose(): unknown;
}

async function loopGaps(
  scanner: Scans,
  procRoot: string,
  patterns: readonly string[],
  scans: number,
): Promise<LoopGaps> {
  const config = { procRoot, patterns, reapers: DEFAULT_REAPERS, testChildren: true };
  const first = monitorEventLoopDelay({ resolution: 1 });
  const rest = monitorEventLoopDelay({ resolution: 1 });
  const cpu: number[] = [];
  try {
    for (let i = 0; i <= scans; i++) {
      const probe = i === 0 ? first : rest;
      probe.enable();
      const before = process.cpuUsage();
      const result = await scanner.scan(config);
      const used = process.cpuUsage(before);
      probe.disable();
      if (!result.ok) throw new Error(result.error ?? 'scan failed');
      cpu.push((used.user + used.system) / 1000);
    }
  } finally {
    await scanner.dispose();
  }
  const steady = cpu.slice(-Math.max(1, Math.floor(scans / 3))).sort((a, b) => a - b);
  return {
    scans,
    maxGapMs: rest.max / 1e6,
    p99GapMs: rest.percentile(99) / 1e6,
    firstScanMaxGapMs: first.max / 1e6,
    steadyCpuMs: steady[Math.floor(steady.length / 2)] ?? 0,
  };
}

export async function benchWorker(options: {
  script: string;
  procRoot?: string;
  patterns: readonly string[];
  scans: number;
}): Promise<WorkerBench> {
  const root = options.procRoot ?? '/proc';
  const loop = await loopGaps(new KeptScanner({ createMatcher }), root, options.patterns, options.scans);
  const worker = await loopGaps(
    new WorkerScanner({ script: options.script }),
    root,
    options.patterns,
    options.scans,
  );
  return { worker, loop };
}
