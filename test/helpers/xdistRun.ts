// The fake `pytest -n N` run the kill tests signal, for a fake /proc written by fakeProcTree.ts:
// the root, its xdist workers (execnet's real argv), and optionally a fixture server that the
// first worker started. Start times follow the root's (workers +10, +11, …; the fixture +20).
// Pids are the caller's, so each test still reads its own numbers.
import type { FakeProcess } from './fakeProcTree';

export interface XdistRun<W extends readonly number[], F extends number | undefined> {
  readonly root: FakeProcess;
  readonly workers: { readonly [K in keyof W]: FakeProcess };
  readonly fixture: F extends number ? FakeProcess : null;
  /** Root, workers, fixture: parents first, the order listDescendants and killTree use. */
  readonly all: readonly FakeProcess[];
}

const WORKER_ARGV = ['python', '-c', 'import sys;exec(eval(sys.stdin.readline()))'];

export function xdistRun<const W extends readonly number[], F extends number | undefined = undefined>(
  root: FakeProcess,
  pids: { readonly workers: W; readonly fixture?: F },
): XdistRun<W, F> {
  const workers = pids.workers.map((pid, i): FakeProcess => ({
    pid,
    ppid: root.pid,
    comm: 'python',
    argv: WORKER_ARGV,
    starttime: root.starttime + 10 + i,
  }));
  const parent = workers[0];
  const fixture: FakeProcess | null =
    pids.fixture === undefined || parent === undefined
      ? null
      : {
          pid: pids.fixture,
          ppid: parent.pid,
          comm: 'redis-server',
          argv: ['redis-server', '--port', '0'],
          starttime: root.starttime + 20,
        };
  return {
    root,
    // `map` keeps the length; TypeScript cannot see that for a tuple.
    workers: workers as unknown as XdistRun<W, F>['workers'],
    fixture: fixture as XdistRun<W, F>['fixture'],
    all: [root, ...workers, ...(fixture === null ? [] : [fixture])],
  };
}
