import { describe, expect, it } from 'vitest';
import { createMatcher } from '../../../src/watchdog/match';
import { resolveCommand } from '../../../src/watchdog/argv';

const pytest = createMatcher(['pytest']);

// [description, argv, expected pattern or null]
const table: readonly [string, readonly string[], string | null][] = [
  ['bare pytest', ['pytest', '-x', 'tests/'], 'pytest'],
  ['venv entry point', ['/venv/bin/pytest'], 'pytest'],
  ['python -m pytest', ['python', '-m', 'pytest'], 'pytest'],
  ['python3.12 -m pytest -n 4', ['python3.12', '-m', 'pytest', '-n', '4'], 'pytest'],
  ['py.test script run by python3', ['python3', '/venv/bin/py.test'], 'pytest'],
  ['py.test directly', ['/usr/bin/py.test', 'tests'], 'pytest'],
  ['Debian pytest-3', ['/usr/bin/pytest-3', '-q'], 'pytest'],
  ['python -m py.test', ['python', '-m', 'py.test'], 'pytest'],
  ['combined flags -Bum', ['python3', '-Bum', 'pytest'], 'pytest'],
  ['-m glued to module', ['python3', '-mpytest'], 'pytest'],
  ['-X and -W take values', ['python3', '-X', 'dev', '-W', 'error', '-m', 'pytest'], 'pytest'],
  ['pytest.__main__', ['python', '-m', 'pytest.__main__'], 'pytest'],
  ['coverage run -m pytest', ['coverage', 'run', '-m', 'pytest'], 'pytest'],
  [
    'coverage with options',
    ['/venv/bin/coverage', 'run', '--source', 'src', '-p', '-m', 'pytest', '-x'],
    'pytest',
  ],
  ['coverage via interpreter', ['/venv/bin/python3', '/venv/bin/coverage', 'run', '-m', 'pytest'], 'pytest'],
  ['python -m coverage run script', ['python', '-m', 'coverage', 'run', '/venv/bin/pytest'], 'pytest'],
  ['uv run pytest', ['uv', 'run', 'pytest'], 'pytest'],
  ['uv run --with value', ['uv', 'run', '--with', 'pytest-cov', 'pytest', '-q'], 'pytest'],
  ['uv run -m pytest', ['uv', 'run', '-m', 'pytest'], 'pytest'],
  ['uvx pytest', ['uvx', 'pytest'], 'pytest'],
  ['uv tool run pytest', ['uv', 'tool', 'run', 'pytest'], 'pytest'],
  ['poetry run python -m pytest', ['poetry', 'run', 'python', '-m', 'pytest'], 'pytest'],
  ['poetry -C dir run pytest', ['poetry', '-C', 'proj', 'run', 'pytest'], 'pytest'],
  ['pipenv run pytest', ['pipenv', 'run', 'pytest'], 'pytest'],
  ['hatch run env:pytest', ['hatch', 'run', 'test:pytest'], 'pytest'],
  ['pdm run pytest', ['pdm', 'run', 'pytest'], 'pytest'],
  ['env VAR=1 pytest', ['env', 'PYTHONHASHSEED=0', 'pytest'], 'pytest'],
  ['setproctitle: NULs replaced by spaces', ['/venv/bin/python3 -m pytest -x tests'], 'pytest'],
  ['setproctitle with trailing spaces', ['pytest -x tests   '], 'pytest'],
  ['path with a space, no args', ['/opt/my app/bin/pytest'], 'pytest'],
  // xdist workers: children of the pytest root (which matches); `-c` names no program.
  ['xdist execnet gateway', ['python', '-c', 'import sys;exec(eval(sys.stdin.readline()))'], null],
  ['python -c from xdist', ['python3', '-c', 'from xdist.remote import main; main()'], null],
  ['xdist setproctitle', ['[pytest-xdist running] tests/test_a.py::test_x'], null],
  ['vim on a test file', ['vim', 'tests/test_pytest.py'], null],
  ['grep', ['grep', '-r', 'pytest', '.'], null],
  ['less a log', ['less', 'pytest.log'], null],
  ['code pytest.ini', ['code', 'pytest.ini'], null],
  ['a module that only starts with pytest', ['python', '-m', 'pytest_cov_helper'], null],
  ['a script that only contains pytest', ['python3', 'run_pytest_later.py'], null],
  ['pytest-watch is another program', ['pytest-watch'], null],
  ['python with pytest as an argument to the script', ['python3', 'tool.py', 'pytest'], null],
  ['python reading stdin', ['python3', '-', 'pytest'], null],
  ['tox spawns pytest itself', ['tox', '-e', 'py312'], null],
  ['sh -c forks pytest, which matches itself', ['sh', '-c', 'pytest -x'], null],
  ['timeout forks pytest, which matches itself', ['timeout', '600', 'pytest'], null],
  ['kernel thread / zombie: empty argv', [], null],
  ['empty argv0', [''], null],
  ['uv without run', ['uv', 'pip', 'install', 'pytest'], null],
  ['poetry add pytest', ['poetry', 'add', 'pytest'], null],
];

describe('createMatcher(["pytest"])', () => {
  it.each(table)('%s', (_name, argv, expected) => {
    expect(pytest.match(argv)).toBe(expected);
  });

  it('needles cover both pytest and py.test for the reader prefilter', () => {
    expect([...pytest.needles].sort()).toEqual(['py.test', 'pytest']);
  });

  it('every matching argv in the table contains one of the needles (prefilter is safe)', () => {
    for (const [, argv, expected] of table) {
      if (expected === null) continue;
      const raw = argv.join('\0');
      expect(pytest.needles.some((n) => raw.includes(n))).toBe(true);
    }
  });
});

describe('createMatcher, other patterns', () => {
  it('returns the first pattern that matches, as configured', () => {
    const m = createMatcher(['tox', ' py.test ']);
    expect(m.match(['pytest'])).toBe('py.test');
    expect(m.match(['tox', '-e', 'py'])).toBe('tox');
    expect(m.needles).toContain('pytest');
  });

  it('an interpreter pattern matches versioned interpreters', () => {
    const m = createMatcher(['python']);
    expect(m.match(['/usr/bin/python3.12', 'x.py'])).toBe('python');
    expect(m.match(['pythonista'])).toBeNull();
  });

  it('a launcher name itself can be a pattern', () => {
    expect(createMatcher(['coverage']).match(['python3', '/venv/bin/coverage', 'run', '-m', 'pytest'])).toBe(
      'coverage',
    );
  });

  it('no usable pattern matches nothing, with a never-occurring needle', () => {
    const m = createMatcher(['', '  ']);
    expect(m.match(['pytest'])).toBeNull();
    expect(m.needles.length).toBe(1);
    expect('pytest -x'.includes(m.needles[0] ?? '')).toBe(false);
  });

  it('a pattern written as a path names the program', () => {
    const m = createMatcher(['/venv/bin/pytest']);
    expect(m.match(['python3', '-m', 'pytest'])).toBe('/venv/bin/pytest');
    expect(m.needles).toContain('pytest');
  });

  it('pattern text is not a regex', () => {
    expect(createMatcher(['py.est']).match(['pyxest'])).toBeNull();
  });
});

describe('resolveCommand', () => {
  it('follows a launcher chain and keeps the innermost target', () => {
    const r = resolveCommand([
      'poetry',
      'run',
      'python',
      '-m',
      'coverage',
      'run',
      '-m',
      'pytest',
      '-x',
      'tests',
    ]);
    expect(r.names).toEqual(['poetry', 'python', 'coverage', 'pytest']);
    expect(r.target).toEqual(['pytest', '-x', 'tests']);
  });

  it('stops on absurdly deep chains instead of looping', () => {
    const argv = Array.from({ length: 40 }, () => 'env');
    expect(resolveCommand(argv).names.length).toBeLessThanOrEqual(9);
  });
});
