// CPU time per run of a function, for linear-cost checks: unlike the wall clock it does not count
// the time other processes on a busy machine take from this one. getrusage's resolution is
// coarse, so each measure runs fn for a window of at least WINDOW_MS and divides, and the least
// of a few windows, each on a freshly collected heap, is kept (noise only ever adds time).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

const cpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const WINDOW_MS = 60;

/** CPU time per run of fn, ms: the least of `windows` windows, each on a freshly collected heap. */
export function cpuMsPerRun(fn: () => unknown, windows = 2): number {
  let best = Number.POSITIVE_INFINITY;
  for (let w = 0; w < windows; w++) {
    gc();
    const started = cpuMs();
    let runs = 0;
    do {
      fn();
      runs++;
    } while (cpuMs() - started < WINDOW_MS);
    best = Math.min(best, (cpuMs() - started) / runs);
  }
  return best;
}

/**
 * Linear work grows ~8x from n to 8n, quadratic ~64x: a bound of 24x (plus 2 ms for the timer's
 * floor) sits far from both, so neither load nor a lucky run decides the outcome.
 */
export const linearBoundMs = (tSmallMs: number): number => 24 * tSmallMs + 2;
