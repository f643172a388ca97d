// Program-aware matching (DESIGN: "a pattern names a program or module"). A pattern is compared
// with the names on the command's launcher chain (see argv.ts), never searched for as a
// substring of the whole line: `vim tests/test_pytest.py` and `grep pytest` must not match.
import type { ArgvMatcher } from '../proc/types';
import { normalizeName, resolveCommand, splitFlattenedArgv } from './argv';

/**
 * Names that mean the same program. `py.test` is pytest's historical entry point, still
 * installed next to `pytest` (and `python -m py.test` works through the `py` shim).
 */
const ALIASES: Readonly<Record<string, string>> = { 'py.test': 'pytest' };

function canonical(name: string): string {
  return ALIASES[name] ?? name;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * `pytest` matches `pytest`, `py.test`, and versioned entry points (`pytest-3`, `pytest3`,
 * Debian's `py.test-3`); `python` matches `python3.12`. A pattern is a name, not a regex.
 */
function nameMatcher(pattern: string): (name: string) => boolean {
  const wanted = canonical(normalizeName(pattern));
  const versioned = new RegExp(`^${escapeRegExp(wanted)}-?\\d+(?:\\.\\d+)*$`);
  return (name) => {
    const stripped = name.replace(/-?\d+(?:\.\d+)*$/, '');
    const candidate = canonical(name);
    return candidate === wanted || versioned.test(candidate) || canonical(stripped) === wanted;
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
