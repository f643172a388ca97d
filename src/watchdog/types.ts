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
  /** Human text: what it is, how old, orphaned onto what, what to do. */
  readonly detail: string;
  readonly sample: ProcessSample;
}

export type RecoveryReason = 'exited' | 'killed' | 'pidReused';

export type AlertEvent =
  | {
      readonly type: 'fire' | 'remind';
      readonly key: string;
      readonly pid: number;
      readonly starttime: number;
      readonly detail: string;
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
