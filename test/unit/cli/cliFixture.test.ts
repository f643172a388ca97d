// The small fake /proc tree the CLI tests scan (test/fixtures/cli/proc) is committed so it can be
// read, and written by the tests' one /proc writer (test/helpers/fakeProcTree.ts). This test
// checks that the committed files are exactly what that writer makes of the tree below; after a
// change to either, regenerate them:
//   UPDATE_FIXTURES=1 npx vitest run test/unit/cli/cliFixture.test.ts
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFakeProcess, writeUptime } from '../../helpers/fakeProcTree';
import type { FakeProcess } from '../../helpers/fakeProcTree';

const COMMITTED = resolve(__dirname, '../../fixtures/cli/proc');
const UPTIME_SECONDS = 100_000;
const HZ = 100;

type CliProcess = Omit<FakeProcess, 'starttime'> & { readonly ageSeconds: number };

const PROCESSES: readonly CliProcess[] = [
  { pid: 1, comm: 'tini', ppid: 0, ageSeconds: UPTIME_SECONDS - 1, argv: ['tini', '--', 'orchestrator'] },
  { pid: 50, comm: 'python3', ppid: 1, ageSeconds: 90_000, argv: ['python3', '/app/orchestrator.py'] },
  // Orphaned onto tini, 27 h old, burning a core: the case the watchdog exists for.
  {
    pid: 200,
    comm: 'python3',
    ppid: 1,
    ageSeconds: 99_000,
    utimeTicks: 9_000_000,
    argv: ['/venv/bin/python3', '-m', 'pytest', '-x', 'tests/unit'],
  },
  // A young re-test still under its launcher.
  { pid: 201, comm: 'pytest', ppid: 50, ageSeconds: 120, argv: ['/venv/bin/pytest', '-k', 'merge gate'] },
  // Coverage run, orphaned, 2 h.
  {
    pid: 204,
    comm: 'coverage',
    ppid: 1,
    ageSeconds: 7200,
    argv: ['/venv/bin/python3', '/venv/bin/coverage', 'run', '-m', 'pytest'],
  },
  // Not pytest runs, though "pytest" is in their command lines.
  { pid: 202, comm: 'vim', ppid: 50, ageSeconds: 600, argv: ['vim', 'tests/test_pytest.py'] },
  {
    pid: 203,
    comm: 'python3',
    ppid: 200,
    ageSeconds: 98_000,
    argv: ['python3', '-c', 'import sys;exec(eval(sys.stdin.readline()))'],
  },
  // A kernel thread: empty cmdline.
  { pid: 2, comm: 'kthreadd', ppid: 0, ageSeconds: UPTIME_SECONDS - 1, argv: [] },
];

/** Writes the CLI tree under `root`: no CPU time unless given, session and group 0, no cgroup. */
function writeCliTree(root: string): void {
  rmSync(root, { recursive: true, force: true });
  writeUptime(root, UPTIME_SECONDS);
  for (const { ageSeconds, ...p } of PROCESSES) {
    writeFakeProcess(root, {
      utimeTicks: 0,
      stimeTicks: 0,
      rssPages: 2560,
      pgid: 0,
      sid: 0,
      threads: 0,
      cgroup: '0::/\n',
      ...p,
      starttime: Math.round((UPTIME_SECONDS - ageSeconds) * HZ),
    });
  }
}

/** Every file under `root`, as relative path -> content. */
function contents(root: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(root, path), readFileSync(path, 'utf8'));
    }
  };
  walk(root);
  return files;
}

describe('test/fixtures/cli/proc', () => {
  it('is what the shared /proc writer makes of the CLI tree', () => {
    if (process.env.UPDATE_FIXTURES === '1') writeCliTree(COMMITTED);
    const scratch = mkdtempSync(join(tmpdir(), 'pw-cli-tree-'));
    try {
      writeCliTree(join(scratch, 'proc'));
      expect(Object.fromEntries(contents(COMMITTED))).toEqual(
        Object.fromEntries(contents(join(scratch, 'proc'))),
      );
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  });
});
