// What the editor's event loop sees while its scans run on the worker thread
// (src/proc/workerScanner.ts): the same kept scanner the extension runs, scanning back to back
// (the first scan with its second CPU reading, the warm-up, settling and steady scans), while a
// 1 ms timer on this thread records the gaps between its ticks (a gap includes the 1 ms).
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { DEFAULT_REAPERS } from '../proc/orphan';
import { WorkerScanner } from '../proc/workerScanner';

export interface WorkerBench {
  /** Scans run through the worker. */
  readonly scans: number;
  /**
   * Longest gap between two ticks of a 1 ms timer on the main thread, and its p99, ms, over the
   * scans after the first; and the longest during the first (it starts the worker).
   */
  readonly maxGapMs: number;
  readonly p99GapMs: number;
  readonly firstScanMaxGapMs: number;
  /** Median CPU of the last `steady` scans, ms (the process: every thread). */
  readonly steadyCpuMs: number;
}

export async function benchWorker(options: {
  script: string;
  procRoot?: string;
  patterns: readonly string[];
  /** Scans after the first one; the last third are the steady ones. */
  scans: number;
}): Promise<WorkerBench> {
  const scanner = new WorkerScanner({ script: options.script });
  const config = {
    procRoot: options.procRoot ?? '/proc',
    patterns: options.patterns,
    reapers: DEFAULT_REAPERS,
    testChildren: true,
  };
  const first = monitorEventLoopDelay({ resolution: 1 });
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const cpu: number[] = [];
  try {
    for (let i = 0; i <= options.scans; i++) {
      const probe = i === 0 ? first : histogram;
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
  const steady = cpu.slice(-Math.max(1, Math.floor(options.scans / 3))).sort((a, b) => a - b);
  return {
    scans: cpu.length,
    maxGapMs: histogram.max / 1e6,
    p99GapMs: histogram.percentile(99) / 1e6,
    firstScanMaxGapMs: first.max / 1e6,
    steadyCpuMs: steady[Math.floor(steady.length / 2)] ?? 0,
  };
}
