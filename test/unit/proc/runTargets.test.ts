import { describe, expect, it } from 'vitest';
import { runTargets } from '../../../src/proc/runTargets';
import type { RunNode } from '../../../src/proc/runTargets';

const node = (pid: number, ppid: number, sid: number, over: Partial<RunNode> = {}): RunNode => ({
  pid,
  ppid,
  starttime: 1000 + pid,
  sid,
  pgid: sid,
  state: 'S',
  ...over,
});
const pids = (nodes: readonly RunNode[]): number[] => nodes.map((n) => n.pid);

describe('runTargets (kill the run)', () => {
  // The launcher (session leader 50) was SIGKILLed: pytest 100 and workers 101/102 were
  // re-parented; 110 is a tail the launcher started in the same session; 120 left by setsid.
  const orphaned = [
    node(1, 0, 0),
    node(100, 1, 50),
    node(101, 100, 50),
    node(102, 100, 50),
    node(103, 101, 103), // setsid child of a worker: a descendant in its own session
    node(110, 1, 50),
    node(200, 1, 200), // unrelated
  ];

  it('descendants first (breadth-first), then the leaderless session, never unrelated processes', () => {
    expect(pids(runTargets(orphaned[1]!, orphaned, new Set()))).toEqual([101, 102, 103, 110]);
  });

  it("a live leader outside the run (the user's shell) keeps its session out: descendants only", () => {
    const withShell = [...orphaned, node(50, 1, 50)];
    expect(pids(runTargets(withShell[1]!, withShell, new Set()))).toEqual([101, 102, 103]);
  });

  it('a leader that is the root itself makes the whole session the run', () => {
    const nodes = [node(100, 1, 100), node(101, 100, 100), node(130, 1, 100)];
    expect(pids(runTargets(nodes[0]!, nodes, new Set()))).toEqual([101, 130]);
  });

  it('skips zombies, pid 1, excluded pids (this process and its ancestors) and reused pids', () => {
    const nodes = [
      node(100, 1, 50),
      node(101, 100, 50, { state: 'Z' }),
      node(102, 100, 7, { starttime: 5 }), // "started" before its parent: a reused pid
      node(104, 100, 50),
      node(110, 1, 50),
    ];
    expect(pids(runTargets(nodes[0]!, nodes, new Set([110])))).toEqual([104]);
  });

  it('sid 0 (leader outside this pid namespace) never expands to the session', () => {
    const nodes = [node(100, 1, 0), node(101, 100, 0), node(150, 1, 0)];
    expect(pids(runTargets(nodes[0]!, nodes, new Set()))).toEqual([101]);
  });
});
