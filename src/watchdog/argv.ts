// What a command line runs: the program, and for interpreters and launchers the module or
// script they hand over to, followed through chains (`poetry run python -m coverage run -m
// pytest`). Pure: argv in, names out. Used by matching (does this run pytest?) and by display
// (show `pytest -x tests/unit`, not `/venv/bin/python3`). The launchers' table: launchers.ts.
import { launcherTarget } from './launchers';
import type { Inner } from './launchers';

export interface ResolvedCommand {
  /** Every program, module or script name on the chain, outermost first, normalized. */
  readonly names: readonly string[];
  /** The innermost program/module and its arguments, as the user would type it. */
  readonly target: readonly string[];
}

/** `python`, `python3`, `python3.12`, `python3.12d`, `pypy3`, `python3-dbg`. */
const INTERPRETER = /^(?:python|pypy)\d*(?:\.\d+)*[dmu]?(?:-dbg)?$/;

/** Python options that take a value (`-W error`, `-X dev`); `-c`/`-m` are handled apart. */
const PYTHON_VALUE_SHORT = new Set(['W', 'X', 'Q']);
const PYTHON_VALUE_LONG = new Set(['--check-hash-based-pycs']);

/** Chains deeper than this are not real command lines; stop rather than loop. */
const MAX_DEPTH = 8;

/**
 * A program or module name longer than this names nothing that runs: a path cannot exceed
 * PATH_MAX (4096) for execve, and no module name comes near it. Longer names never match and
 * never reach a regex (issue 8: 100k-slash program names froze the scan).
 */
export const MAX_PROGRAM_CHARS = 4096;

/**
 * The path without its trailing slashes. A loop, not `/\/+$/`: that regex is tried at every
 * slash of a run and rescans the run each time (quadratic on `////…x`).
 */
export function withoutTrailingSlashes(path: string): string {
  let end = path.length;
  while (end > 0 && path.charCodeAt(end - 1) === 0x2f) end--;
  return path.slice(0, end);
}

/** The last path segment, trailing slashes ignored. */
export function basename(path: string): string {
  const trimmed = withoutTrailingSlashes(path);
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

/**
 * The name a program, script or module is known by: basename, without `.py`, without a
 * trailing `.__main__` (`python -m pytest.__main__`).
 */
export function normalizeName(raw: string): string {
  let name = basename(raw);
  if (name.endsWith('.py') && name.length > 3) name = name.slice(0, -3);
  if (name.endsWith('.__main__')) name = name.slice(0, -'.__main__'.length);
  return name;
}

/**
 * Words of a command line that can matter for what it runs: a launcher chain and its options
 * never come near this many, and the display is cut long before. Past it, argv is not looked
 * at (a real cmdline may hold 100k test ids; the work stays bounded).
 */
const MAX_RESOLVED_WORDS = 256;

/** What JavaScript's `\s` matches (ECMA-262 WhiteSpace and LineTerminator). */
function isSpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    code === 0x20 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000 ||
    code === 0xfeff
  );
}

/**
 * setproctitle (and some launchers) rewrite the command line with spaces instead of NULs
 * (psutil #1179): one argv element holding the whole line. Split it back into words, at most
 * MAX_RESOLVED_WORDS of them, in one pass that stops there.
 */
export function splitFlattenedArgv(argv: readonly string[]): readonly string[] | null {
  if (argv.length !== 1) return null;
  const only = argv[0] ?? '';
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= only.length && words.length < MAX_RESOLVED_WORDS; i++) {
    const space = i === only.length || isSpace(only.charCodeAt(i));
    if (space && start !== -1) {
      words.push(only.slice(start, i));
      start = -1;
    } else if (!space && start === -1) start = i;
  }
  return words.length >= 2 ? words : null;
}

export function resolveCommand(argv: readonly string[]): ResolvedCommand {
  const names: string[] = [];
  const words = argv.length > MAX_RESOLVED_WORDS ? argv.slice(0, MAX_RESOLVED_WORDS) : argv;
  const target = resolveInto(words, names, 0);
  return { names, target };
}

function resolveInto(argv: readonly string[], names: string[], depth: number): readonly string[] {
  const program = argv[0];
  if (program === undefined || program === '' || program.length > MAX_PROGRAM_CHARS) return argv;
  const name = normalizeName(program);
  names.push(name);
  if (depth >= MAX_DEPTH) return argv;
  const display = [name, ...argv.slice(1)];
  const inner = INTERPRETER.test(name) ? pythonTarget(argv) : launcherTarget(name, argv);
  if (inner === null) return display;
  if (inner.kind === 'module') {
    // `python -m pytest`: the module is the program from here on, and may itself launch.
    return resolveInto([inner.name, ...inner.args], names, depth + 1);
  }
  return resolveInto(inner.args, names, depth + 1);
}
/**
 * What a Python interpreter runs: `-m module`, or the script (first positional). `-c code` and
 * stdin (`-`) run no named program: null. Short options combine (`-Bum pytest`).
 */
function pythonTarget(argv: readonly string[]): Inner | null {
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      const script = argv[i + 1];
      return script === undefined ? null : { kind: 'command', args: argv.slice(i + 1) };
    }
    if (arg === '-') return null;
    if (arg.startsWith('--')) {
      if (PYTHON_VALUE_LONG.has(arg)) i++;
      continue;
    }
    if (arg.startsWith('-')) {
      for (let c = 1; c < arg.length; c++) {
        const flag = arg[c] ?? '';
        const last = c + 1 === arg.length;
        if (flag === 'm') {
          const module = last ? argv[i + 1] : arg.slice(c + 1);
          if (module === undefined) return null;
          const args = argv.slice(last ? i + 2 : i + 1);
          return { kind: 'module', name: module, args };
        }
        if (flag === 'c') return null;
        if (PYTHON_VALUE_SHORT.has(flag)) {
          if (last) i++;
          break;
        }
      }
      continue;
    }
    return { kind: 'command', args: argv.slice(i) };
  }
  return null;
}
