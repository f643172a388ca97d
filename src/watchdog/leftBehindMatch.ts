// The kill engine re-checks that the root of a kill still matches a configured pattern (an
// identity check alone would accept any process the user was never shown). A process tests left
// behind (issue 13) matches none, by definition: for the rows being killed, their exact argv
// counts as their pattern. Pid, starttime and argv are still re-verified right before each
// signal (src/proc/kill.ts), so nothing else with that command line is touched.
import type { ArgvMatcher } from '../proc/types';
import type { ProcessRow } from './viewModel';

/** Reported as the pattern of a left-behind process (for the log and the refusal text). */
export const LEFT_BEHIND_PATTERN = 'left behind by tests';

export function withLeftBehind(base: ArgvMatcher, rows: readonly ProcessRow[]): ArgvMatcher {
  const argvs = rows.filter((r) => r.kind === 'process' && r.leftBy !== null).map((r) => r.sample.argv);
  if (argvs.length === 0) return base;
  const same = (a: readonly string[], b: readonly string[]): boolean =>
    a.length === b.length && a.every((word, i) => word === b[i]);
  return {
    needles: base.needles,
    match: (argv) =>
      base.match(argv) ?? (argvs.some((known) => same(known, argv)) ? LEFT_BEHIND_PATTERN : null),
  };
}
