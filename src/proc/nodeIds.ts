// Pure: which pytest tests a process runs, from its command line. Two sources, never environ
// (PYTEST_CURRENT_TEST lives there, but environ is never read, and it only holds the start
// environment anyway):
// - pytest-xdist retitles its workers `[pytest-xdist running] <nodeid>` (and `[pytest-xdist
//   idle]`) when setproctitle is installed (xdist/remote.py worker_title);
// - node ids given on the command line: `pytest tests/test_x.py::test_a`, `tests/test_y.py`.

const RUNNING = '[pytest-xdist running] ';
const XDIST_TITLE = '[pytest-xdist';

/**
 * pytest options whose value is the next word and may look like a node id (`--deselect
 * t.py::x`); values of other options rarely end in `.py` or contain `::`.
 */
const VALUE_OPTIONS = new Set([
  '--deselect',
  '--ignore',
  '--ignore-glob',
  '-c',
  '--confcutdir',
  '--rootdir',
  '--basetemp',
  '-p',
  '-k',
  '-m',
  '-o',
  '--junitxml',
  '--junit-xml',
  '--cov',
  '--cov-config',
]);

/** setproctitle may leave one string with spaces, read back as words: join them again. */
function title(argv: readonly string[]): string {
  return argv.length === 1 ? argv[0]! : argv.join(' ');
}

/** A pytest-xdist worker's retitled command line. */
export function isXdistTitle(argv: readonly string[]): boolean {
  return (argv[0] ?? '').startsWith(XDIST_TITLE);
}

/** execnet's popen bootstrap (`python -c "import sys;exec(eval(sys.stdin.readline()))"`). */
export function isExecnetBootstrap(argv: readonly string[]): boolean {
  const c = argv.indexOf('-c');
  return c >= 0 && (argv[c + 1] ?? '').includes('sys.stdin.readline()');
}

/** Node ids this command line says it runs; [] when it does not say. */
export function testsFromArgv(argv: readonly string[]): string[] {
  if (isXdistTitle(argv)) {
    const text = title(argv);
    return text.startsWith(RUNNING) && text.length > RUNNING.length ? [text.slice(RUNNING.length)] : [];
  }
  const out: string[] = [];
  for (let i = 1; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('-')) {
      if (VALUE_OPTIONS.has(arg)) i++;
      continue;
    }
    if (isNodeId(arg) && !out.includes(arg)) out.push(arg);
  }
  return out;
}

/** `path.py::Class::test[param]`, or a test file as pytest collects by default. */
function isNodeId(arg: string): boolean {
  if (arg.includes('::')) return arg.indexOf('::') > 0;
  if (!arg.endsWith('.py')) return false;
  const name = arg.slice(arg.lastIndexOf('/') + 1);
  return name.startsWith('test_') || name.endsWith('_test.py');
}
