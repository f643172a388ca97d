// The C floor (scripts/cfloor.c) run from inside the bench, between two steady scans, so the
// floor and the scans see the same load on a shared machine: a floor measured in a burst of its
// own, seconds away, drifts with whatever else runs there (±30% on a 2-core host at load 10+).
import { execFileSync } from 'node:child_process';

/** One floor measurement: CPU (user + system) ms of a readdir + every cmdline, and wall ms. */
export interface FloorReading {
  readonly ms: number;
  readonly cpuMs: number;
}

/**
 * Runs `cfloor PROC_ROOT 3 NEEDLE` and returns the mean of its last two runs (the first warms
 * the dentries, as the bench's own floor rounds drop it). Null when it cannot run.
 */
export function floorRunner(path: string, procRoot: string, needle: string): () => FloorReading | null {
  return () => {
    try {
      const out = JSON.parse(execFileSync(path, [procRoot, '3', needle], { encoding: 'utf8' })) as {
        runsMs?: number[];
        cpuMs?: number[];
      };
      const mean = (xs: number[] | undefined): number => ((xs?.[1] ?? NaN) + (xs?.[2] ?? NaN)) / 2;
      const reading = { ms: mean(out.runsMs), cpuMs: mean(out.cpuMs) };
      return Number.isFinite(reading.cpuMs) && reading.cpuMs > 0 ? reading : null;
    } catch {
      return null;
    }
  };
}
