// Pure: CPU over an interval and the verdict a person reads first ("spinning", "idle", …).
import type { Verdict } from './diagnosisTypes';

/** At or above this share of one core over the interval, a process is burning a core. */
const SPINNING_PERCENT = 90;
/** Below this it counts as idle; in between, busy. */
const BUSY_PERCENT = 5;

/** One reading of a process's CPU counters (identity-checked by the caller). */
export interface CpuReading {
  /** utime + stime, clock ticks (stat fields 14 + 15). */
  readonly cpuTicks: number;
  /** /proc/uptime when read, seconds. */
  readonly atSeconds: number;
  /**
   * schedstat's time on CPU plus time runnable but waiting for one, ns; null when not read.
   * A spinner on a crowded machine gets a fraction of a core but is runnable all the time.
   */
  readonly demandNs: number | null;
  /**
   * Uptime since which cpuTicks has not moved as far as watched, seconds: when it last moved, or
   * when watching began (so idle times are lower bounds); null when not known (a one-shot scan's
   * first reading: half a second says nothing about how long a process has slept).
   */
  readonly quietSinceSeconds: number | null;
}

/** 100 = one core over the interval; null when there is no usable earlier reading. */
export function cpuPercentBetween(
  prev: CpuReading | undefined,
  now: Pick<CpuReading, 'cpuTicks' | 'atSeconds'>,
  userHz: number,
): number | null {
  if (prev === undefined) return null;
  const elapsed = now.atSeconds - prev.atSeconds;
  const ticks = now.cpuTicks - prev.cpuTicks;
  if (!(elapsed > 0) || ticks < 0) return null;
  return Math.round((ticks / userHz / elapsed) * 100 * 10) / 10;
}

/**
 * quietSinceSeconds of a new reading: now when the ticks moved (or on first sight: watching
 * begins), else carried over from the previous reading. Uses only figures already read.
 */
export function quietSince(
  prev: CpuReading | undefined,
  now: Pick<CpuReading, 'cpuTicks' | 'atSeconds'>,
): number | null {
  if (prev === undefined || now.cpuTicks !== prev.cpuTicks) return now.atSeconds;
  return prev.quietSinceSeconds;
}

/**
 * Whole seconds an idle process's CPU time has not moved; null unless the verdict is idle and an
 * earlier reading tells since when (never on first sight).
 */
export function idleSecondsOf(
  verdict: Verdict,
  prev: CpuReading | undefined,
  now: Pick<CpuReading, 'atSeconds' | 'quietSinceSeconds'>,
): number | null {
  if (verdict !== 'idle' || prev === undefined || now.quietSinceSeconds === null) return null;
  return Math.max(0, Math.floor(now.atSeconds - now.quietSinceSeconds));
}

/** Share of the interval the process ran or waited to run, 100 = all of it; null when unknown. */
export function demandPercentBetween(prev: CpuReading | undefined, now: CpuReading): number | null {
  if (prev === undefined || prev.demandNs === null || now.demandNs === null) return null;
  const elapsedNs = (now.atSeconds - prev.atSeconds) * 1e9;
  const ns = now.demandNs - prev.demandNs;
  if (!(elapsedNs > 0) || ns < 0) return null;
  return (ns / elapsedNs) * 100;
}

/**
 * State first (it is certain), then CPU: Z zombie, T/t stopped, D uninterruptible; otherwise
 * spinning at ≥ SPINNING_PERCENT of a core (or runnable nearly all the interval: demand), busy
 * at ≥ BUSY_PERCENT, idle below; unknown without a measured interval.
 */
export function verdictOf(
  state: string,
  cpuPercent: number | null,
  demandPercent: number | null = null,
): Verdict {
  switch (state) {
    case 'Z':
    case 'X':
    case 'x':
      return 'zombie';
    case 'T':
    case 't':
      return 'stopped';
    case 'D':
      return 'uninterruptible';
  }
  if (cpuPercent === null) return 'unknown';
  if (cpuPercent >= SPINNING_PERCENT || (demandPercent !== null && demandPercent >= SPINNING_PERCENT))
    return 'spinning';
  return cpuPercent >= BUSY_PERCENT ? 'busy' : 'idle';
}

/** /proc/<pid>/schedstat: `<ns on cpu> <ns waiting on a runqueue> <timeslices>`. */
export interface Schedstat {
  /** Exact time on a CPU (se.sum_exec_runtime), ns. */
  readonly runtimeNs: number;
  /** Time on a CPU plus time runnable but waiting for one, ns. */
  readonly demandNs: number;
}

/** One pass, no regex: this runs for every diagnosed process every scan. Null when malformed. */
export function parseSchedstat(text: string): Schedstat | null {
  const space = text.indexOf(' ');
  const next = space < 0 ? -1 : text.indexOf(' ', space + 1);
  if (space <= 0 || next <= space + 1) return null;
  const runtimeNs = digits(text, 0, space);
  const waitNs = digits(text, space + 1, next);
  return runtimeNs === null || waitNs === null ? null : { runtimeNs, demandNs: runtimeNs + waitNs };
}

function digits(text: string, from: number, to: number): number | null {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return null;
    n = n * 10 + c;
  }
  return n;
}

/** /proc/<pid>/wchan: a kernel symbol, or `0` while running (or when kallsyms are hidden). */
export function parseWchan(text: string): string | null {
  const t = text.trim();
  if (t === '' || t === '0' || t.length > 128 || !/^[A-Za-z0-9_.]+$/.test(t)) return null;
  return t;
}
