// Data shapes of the pure pipeline. No vscode, no fs.
import type { ProcessSample } from '../proc/types';

export const SIGNAL_KIND = 'proc_blocking';

/** One per matched process. */
export interface Signal {
  readonly kind: typeof SIGNAL_KIND;
  /** identityKey(pid, starttime). */
  readonly key: string;
  readonly pid: number;
  readonly starttime: number;
  /** Older than the threshold (and orphaned, when orphansOnly is set). */
  readonly active: boolean;
  readonly sample: ProcessSample;
}

export type RecoveryReason = 'exited' | 'killed' | 'pidReused';

export type AlertEvent =
  | {
      readonly type: 'fire' | 'remind';
      readonly key: string;
      readonly pid: number;
      readonly starttime: number;
      readonly ageSeconds: number;
    }
  | {
      readonly type: 'recovery';
      readonly key: string;
      readonly pid: number;
      readonly starttime: number;
      readonly reason: RecoveryReason;
      /** How long it ran, seconds, as last seen. */
      readonly ranSeconds: number;
      readonly command: string;
    };

/** The settings the pipeline runs on, validated (see config.ts for defaults and sources). */
export interface WatchdogConfig {
  readonly enabled: boolean;
  /** A match older than this blocks; 0 = every match blocks. Fractions allowed. */
  readonly ageMinutes: number;
  /** Program or module names (see match.ts), e.g. ["pytest"]. */
  readonly patterns: readonly string[];
  /** Minimum gap between two notifications about the same process. */
  readonly cooldownSeconds: number;
  readonly intervalSeconds: number;
  /** Only orphaned matches (re-parented onto a reaper) can block. */
  readonly orphansOnly: boolean;
  /** Comms of processes that adopt orphans (tini, systemd, …). */
  readonly reapers: readonly string[];
  readonly procRoot: string;
  /** '' = look for `.env.watchdog`, then `.env`, in the workspace. */
  readonly envFile: string;
  /** How long the kill flow waits after SIGTERM before offering SIGKILL. */
  readonly killGraceSeconds: number;
  /**
   * Also report processes tests started and left behind (no pattern matches them; evidence ties
   * them to a pytest run), once orphaned or their run is gone (issue 13).
   */
  readonly testChildren: boolean;
}
