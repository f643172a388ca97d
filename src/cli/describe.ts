// The terminal's one-paragraph account of a matched process (`watch` FIRE lines, `scan --json`'s
// signal detail): what it is, how old, orphaned onto what, what to do. English only; the editor
// words its own (src/vscode).
import type { ProcessSample } from '../proc/types';
import { formatAge, shortCommand } from '../watchdog/format';
import { englishText } from '../watchdog/notificationText';
import { parentText } from '../watchdog/parentText';
import { sanitize } from '../watchdog/sanitize';
import { isBlocking } from '../watchdog/signals';
import type { SignalConfig } from '../watchdog/signals';

function parentOf(sample: ProcessSample): string {
  return parentText(sample, englishText, (comm) => sanitize(comm, 64));
}

/** What it is, how old, orphaned onto what, what to do, in one or two sentences. */
export function describeProcess(sample: ProcessSample, config: SignalConfig): string {
  const what = `${shortCommand(sample.argv)} (PID ${sample.pid})`;
  const age = `has run for ${formatAge(sample.ageSeconds)}`;
  const threshold = config.ageMinutes > 0 ? `the ${formatAge(config.ageMinutes * 60)} threshold` : null;
  if (sample.orphaned) {
    const tail = isBlocking(sample, config)
      ? 'Whatever launched it is gone, so nobody is waiting for its result: kill it unless you started it by hand.'
      : `Not blocking yet${threshold === null ? '' : ` (under ${threshold})`}.`;
    return `${what} ${age} and is orphaned onto ${parentOf(sample)}. ${tail}`;
  }
  const base = `${what} ${age} under ${parentOf(sample)}.`;
  if (!isBlocking(sample, config)) {
    const why = config.orphansOnly ? 'its launcher is alive' : `it is under ${threshold ?? 'the threshold'}`;
    return `${base} Not blocking: ${why}.`;
  }
  return `${base} It is over ${threshold ?? 'the threshold'}: check that its launcher still needs it, or kill it.`;
}
