// Launchers (coverage, uv, poetry, env, …): how to find the command they run, for argv.ts's
// resolution of a command line. Pure; names reach these regexes only when at most
// MAX_PROGRAM_CHARS long (argv.ts), and none of them backtracks more than linearly.

/** What an interpreter or launcher hands over to: a module (`-m`), or a command line. */
export type Inner =
  { kind: 'module'; name: string; args: readonly string[] } | { kind: 'command'; args: readonly string[] };

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

export function launcherTarget(name: string, argv: readonly string[]): Inner | null {
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
