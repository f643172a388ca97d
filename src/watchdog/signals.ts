// Matched samples -> one Signal per process. Pure: the threshold decision and the words the
// user reads, nothing about notifications (that is the reducer's job, alerts.ts).
import type { ProcessSample } from '../proc/types';
import { identityKey } from '../proc/types';
import { formatAge, shortCommand } from './format';
import { sanitize } from './sanitize';
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
    detail: describe(sample, config),
    sample,
  }));
}

function parentText(sample: ProcessSample): string {
  if (sample.parent !== null) return `${sanitize(sample.parent.comm, 64)} (pid ${sample.parent.pid})`;
  // ppid 0: the parent lives outside this pid namespace (a container's init seen from inside).
  return sample.ppid === 0 ? 'a parent outside this pid namespace' : `pid ${sample.ppid}`;
}

/** What it is, how old, orphaned onto what, what to do, in one or two sentences. */
export function describe(sample: ProcessSample, config: SignalConfig): string {
  const what = `${shortCommand(sample.argv)} (pid ${sample.pid})`;
  const age = `has run for ${formatAge(sample.ageSeconds)}`;
  const threshold = config.ageMinutes > 0 ? `the ${formatAge(config.ageMinutes * 60)} threshold` : null;
  if (sample.orphaned) {
    const tail = isBlocking(sample, config)
      ? 'Whatever launched it is gone, so nobody is waiting for its result: kill it unless you started it by hand.'
      : `Not blocking yet${threshold === null ? '' : ` (under ${threshold})`}.`;
    return `${what} ${age} and is orphaned onto ${parentText(sample)}. ${tail}`;
  }
  const base = `${what} ${age} under ${parentText(sample)}.`;
  if (!isBlocking(sample, config)) {
    const why = config.orphansOnly ? 'its launcher is alive' : `it is under ${threshold ?? 'the threshold'}`;
    return `${base} Not blocking: ${why}.`;
  }
  return `${base} It is over ${threshold ?? 'the threshold'}: check that its launcher still needs it, or kill it.`;
}
