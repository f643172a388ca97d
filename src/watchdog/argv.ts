// What a command line runs: the program, and for interpreters and launchers the module or
// script they hand over to, followed through chains (`poetry run python -m coverage run -m
// pytest`). Pure: argv in, names out. Used by matching (does this run pytest?) and by display
// (show `pytest -x tests/unit`, not `/venv/bin/python3`).

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

/**
 * Launchers: how to find the command they run. `subcommands` lists the verbs that run
 * something (`uv run`, `uv tool run`); null means the command follows the options directly
 * (`uvx pytest`). `valueOptions` are the options that consume the next word, so that
 * `uv run --with pytest-cov pytest` finds `pytest` and not `pytest-cov`.
 *
 * Not launchers, on purpose: `tox`/`nox` (their argv names sessions, and the pytest they spawn
 * matches on its own), `timeout`/`sh -c` (they fork the command, which matches on its own).
 * `env`/`nice`/`nohup`/`setsid` exec, so /proc rarely shows them, but when it does (a
 * setproctitle'd line, a wrapper script) following them costs nothing.
 */
interface LauncherSpec {
  readonly subcommands: readonly (readonly string[])[] | null;
  readonly valueOptions: ReadonlySet<string>;
  /** `-m mod` runs a Python module (coverage run, uv run). */
  readonly moduleFlag: boolean;
  /** `env:command` (hatch) — the part after the colon is the command. */
  readonly envPrefix?: boolean;
  /** `NAME=value` words before the command (env). */
  readonly assignments?: boolean;
}

const UV_VALUES = [
  '--with',
  '--with-editable',
  '--with-requirements',
  '--python',
  '-p',
  '--extra',
  '--group',
  '--only-group',
  '--no-group',
  '--package',
  '--directory',
  '--project',
  '--env-file',
  '--index',
  '--default-index',
  '--index-url',
  '--extra-index-url',
  '--find-links',
  '-f',
  '--from',
  '--config-file',
  '--cache-dir',
  '-w',
];

const LAUNCHERS: readonly { readonly name: RegExp; readonly spec: LauncherSpec }[] = [
  {
    // coverage, coverage3, coverage-3.12, python3-coverage (Debian).
    name: /^(?:python\d*(?:\.\d+)*-)?coverage(?:-?\d+(?:\.\d+)*)?$/,
    spec: {
      subcommands: [['run']],
      valueOptions: new Set([
        '--source',
        '--rcfile',
        '--include',
        '--omit',
        '--concurrency',
        '--context',
        '--data-file',
        '--debug',
      ]),
      moduleFlag: true,
    },
  },
  {
    name: /^uv$/,
    spec: { subcommands: [['run'], ['tool', 'run']], valueOptions: new Set(UV_VALUES), moduleFlag: true },
  },
  { name: /^uvx$/, spec: { subcommands: null, valueOptions: new Set(UV_VALUES), moduleFlag: false } },
  {
    name: /^poetry$/,
    spec: {
      subcommands: [['run']],
      valueOptions: new Set(['-C', '--directory', '-P', '--project']),
      moduleFlag: false,
    },
  },
  { name: /^pipenv$/, spec: { subcommands: [['run']], valueOptions: new Set(), moduleFlag: false } },
  {
    name: /^pdm$/,
    spec: { subcommands: [['run']], valueOptions: new Set(['-p', '--project', '--venv']), moduleFlag: false },
  },
  {
    name: /^hatch$/,
    spec: {
      subcommands: [['run']],
      valueOptions: new Set(['-e', '--env']),
      moduleFlag: false,
      envPrefix: true,
    },
  },
  {
    name: /^pipx$/,
    spec: { subcommands: [['run']], valueOptions: new Set(['--spec', '--python']), moduleFlag: false },
  },
  {
    name: /^rye$/,
    spec: { subcommands: [['run']], valueOptions: new Set(['--pyproject']), moduleFlag: false },
  },
  {
    name: /^env$/,
    spec: {
      subcommands: null,
      valueOptions: new Set(['-u', '--unset', '-C', '--chdir', '-S', '--split-string']),
      moduleFlag: false,
      assignments: true,
    },
  },
  {
    name: /^nice$/,
    spec: { subcommands: null, valueOptions: new Set(['-n', '--adjustment']), moduleFlag: false },
  },
  { name: /^(?:nohup|setsid)$/, spec: { subcommands: null, valueOptions: new Set(), moduleFlag: false } },
];

/** Chains deeper than this are not real command lines; stop rather than loop. */
const MAX_DEPTH = 8;

function basename(path: string): string {
  const trimmed = path.replace(/\/+$/, '');
  const slash = trimmed.lastIndexOf('/');
  return slash === -1 ? trimmed : trimmed.slice(slash + 1);
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
 * setproctitle (and some launchers) rewrite the command line with spaces instead of NULs
 * (psutil #1179): one argv element holding the whole line. Split it back into words.
 */
export function splitFlattenedArgv(argv: readonly string[]): readonly string[] | null {
  if (argv.length !== 1) return null;
  const only = argv[0] ?? '';
  if (!/\s/.test(only.trim())) return null;
  return only.trim().split(/\s+/);
}

export function resolveCommand(argv: readonly string[]): ResolvedCommand {
  const names: string[] = [];
  const target = resolveInto(argv, names, 0);
  return { names, target };
}

function resolveInto(argv: readonly string[], names: string[], depth: number): readonly string[] {
  const program = argv[0];
  if (program === undefined || program === '') return argv;
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

type Inner =
  { kind: 'module'; name: string; args: readonly string[] } | { kind: 'command'; args: readonly string[] };

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
        const rest = arg.slice(c + 1);
        if (flag === 'm') {
          const module = rest !== '' ? rest : argv[i + 1];
          if (module === undefined) return null;
          const args = argv.slice(rest !== '' ? i + 1 : i + 2);
          return { kind: 'module', name: module, args };
        }
        if (flag === 'c') return null;
        if (PYTHON_VALUE_SHORT.has(flag)) {
          if (rest === '') i++;
          break;
        }
      }
      continue;
    }
    return { kind: 'command', args: argv.slice(i) };
  }
  return null;
}

function launcherTarget(name: string, argv: readonly string[]): Inner | null {
  const spec = LAUNCHERS.find((l) => l.name.test(name))?.spec;
  if (spec === undefined) return null;
  let i = 1;
  if (spec.subcommands !== null) {
    // Options may come before the verb (`poetry -C dir run pytest`).
    i = skipOptions(argv, i, spec);
    const verb = spec.subcommands.find((words) => words.every((w, k) => argv[i + k] === w));
    if (verb === undefined) return null;
    i += verb.length;
  }
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      i++;
      break;
    }
    if (spec.moduleFlag && (arg === '-m' || arg === '--module')) {
      const module = argv[i + 1];
      if (module === undefined) return null;
      return { kind: 'module', name: module, args: argv.slice(i + 2) };
    }
    if (arg.startsWith('-') && arg.length > 1) {
      if (spec.valueOptions.has(arg)) i++;
      continue;
    }
    if (spec.assignments === true && /^[A-Za-z_][A-Za-z0-9_]*=/.test(arg)) continue;
    break;
  }
  const command = argv[i];
  if (command === undefined) return null;
  if (spec.envPrefix === true && command.includes(':') && !command.includes('/')) {
    const afterColon = command.slice(command.indexOf(':') + 1);
    return { kind: 'command', args: [afterColon, ...argv.slice(i + 1)] };
  }
  return { kind: 'command', args: argv.slice(i) };
}

function skipOptions(argv: readonly string[], from: number, spec: LauncherSpec): number {
  let i = from;
  while (i < argv.length) {
    const arg = argv[i] ?? '';
    if (!arg.startsWith('-') || arg === '-' || arg === '--') break;
    i += spec.valueOptions.has(arg) ? 2 : 1;
  }
  return i;
}
