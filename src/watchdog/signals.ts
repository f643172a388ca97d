// Matched samples -> one Signal per process. Pure: the threshold decision only. The words a user
// reads are built where they are shown (the editor in src/vscode, the terminal in src/cli).
import type { ProcessSample } from '../proc/types';
import { identityKey } from '../proc/types';
import type { Signal, WatchdogConfig } from './types';
import { SIGNAL_KIND } from './types';

export type SignalConfig = Pick<WatchdogConfig, 'ageMinutes' | 'orphansOnly'>;

/** Older than the threshold (0 = any age), and orphaned when orphansOnly is set. */
export function isBlocking(sample: ProcessSample, config: SignalConfig): boolean {
  const overAge = config.ageMinutes <= 0 || sample.ageSeconds > config.ageMinutes * 60;
  return overAge && (!config.orphansOnly || sample.orphaned);
}

export function buildSignals(samples: readonly ProcessSample[], config: SignalConfig): Signal[] {
  return samples.map((sample) => ({
    kind: SIGNAL_KIND,
    key: identityKey(sample),
    pid: sample.pid,
    starttime: sample.starttime,
    active: isBlocking(sample, config),
    sample,
  }));
}
