// Program-aware matching (DESIGN: "a pattern names a program or module"). A pattern is compared
// with the names on the command's launcher chain (see argv.ts), never searched for as a
// substring of the whole line: `vim tests/test_pytest.py` and `grep pytest` must not match.
import type { ArgvMatcher } from '../proc/types';
import { MAX_PROGRAM_CHARS, normalizeName, resolveCommand, splitFlattenedArgv } from './argv';

/**
 * Names that mean the same program. `py.test` is pytest's historical entry point, still
 * installed next to `pytest` (and `python -m py.test` works through the `py` shim).
 */
const ALIASES: Readonly<Record<string, string>> = { 'py.test': 'pytest' };

function canonical(name: string): string {
  return ALIASES[name] ?? name;
}

const isDigit = (code: number): boolean => code >= 0x30 && code <= 0x39;

/**
 * Where a version suffix (`-3`, `3.12`, `-1.2.3`) starts in `name`, or -1: the index at which
 * `/-?\d+(?:\.\d+)*$/` would match, found by one walk back from the end. That regex, unanchored
 * at its start, is retried at every digit of a long run and rescans the run each time
 * (quadratic on `pytest111…1x`, issue 8); test/unit/watchdog/match.test.ts checks the two agree.
 */
export function versionSuffixStart(name: string): number {
  let i = name.length;
  if (i === 0 || !isDigit(name.charCodeAt(i - 1))) return -1;
  // Digits, and dots with a digit on both sides (the right one was just walked over), so the
  // walk always stops on a digit: the leftmost start of a `\d+(\.\d+)*` that runs to the end.
  while (i > 0) {
    const code = name.charCodeAt(i - 1);
    if (isDigit(code)) i--;
    else if (code === 0x2e && i >= 2 && isDigit(name.charCodeAt(i - 2))) i--;
    else break;
  }
  return i > 0 && name.charCodeAt(i - 1) === 0x2d ? i - 1 : i;
}

/**
 * `pytest` matches `pytest`, `py.test`, and versioned entry points (`pytest-3`, `pytest3`,
 * Debian's `py.test-3`); `python` matches `python3.12`. A pattern is a name, not a regex. Names
 * longer than MAX_PROGRAM_CHARS never match.
 */
function nameMatcher(pattern: string): (name: string) => boolean {
  const wanted = canonical(normalizeName(pattern));
  // `wanted` followed by nothing but a version suffix.
  const versioned = (candidate: string): boolean =>
    candidate.length > wanted.length &&
    candidate.startsWith(wanted) &&
    versionSuffixStart(candidate.slice(wanted.length)) === 0;
  return (name) => {
    if (name.length > MAX_PROGRAM_CHARS) return false;
    const cut = versionSuffixStart(name);
    const stripped = cut === -1 ? name : name.slice(0, cut);
    const candidate = canonical(name);
    return candidate === wanted || versioned(candidate) || canonical(stripped) === wanted;
  };
}

/** Every byte string a matching cmdline must contain: the pattern and its aliases. */
function needlesFor(patterns: readonly string[]): string[] {
  const needles = new Set<string>();
  for (const pattern of patterns) {
    // A pattern written as a path (`/venv/bin/pytest`) names the program `pytest`.
    const wanted = canonical(normalizeName(pattern));
    needles.add(pattern);
    needles.add(wanted);
    for (const [alias, target] of Object.entries(ALIASES)) if (target === wanted) needles.add(alias);
  }
  return [...needles];
}

/**
 * Build the matcher the reader runs on every decoded cmdline. Empty or blank patterns are
 * ignored; with no usable pattern nothing matches (and needles stay non-empty so the reader's
 * prefilter rejects everything cheaply).
 *
 * xdist workers (`python -c "import sys;exec(eval(sys.stdin.readline()))"`, execnet's
 * bootstrap) do not match: `-c` names no program, and a worker is a child of the pytest root,
 * which does match and under which the UI nests descendants. Matching workers would turn one
 * stuck run into N+1 alerts. And when the root dies, a worker does not outlive it for long:
 * execnet's worker gateway sees EOF on its stdin pipe, SIGINTs itself after 5 s and calls
 * os._exit(1) after 10 s more (execnet gateway_base `_terminate_execution`).
 */
export function createMatcher(patterns: readonly string[]): ArgvMatcher {
  const usable = [...new Set(patterns.map((p) => p.trim()).filter((p) => p !== ''))];
  const tests = usable.map((pattern) => ({ pattern, test: nameMatcher(pattern) }));
  const matchNames = (argv: readonly string[]): string | null => {
    const { names } = resolveCommand(argv);
    for (const { pattern, test } of tests) if (names.some(test)) return pattern;
    return null;
  };
  return {
    needles: usable.length === 0 ? ['\0no-pattern\0'] : needlesFor(usable),
    match(argv) {
      const direct = matchNames(argv);
      if (direct !== null) return direct;
      const split = splitFlattenedArgv(argv);
      return split === null ? null : matchNames(split);
    },
  };
}
