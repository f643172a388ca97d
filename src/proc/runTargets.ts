// "Kill the run" (issue 11): a run is the matched root, its descendants, and the other members of
// its session when that session has lost its leader (the launcher that was SIGKILLed): session
// and process group survive re-parenting, parent links do not. Never the session of a live
// leader outside the run (the user's login shell, the editor's terminal): then only descendants.
// runTargets is pure; listRunMembers reads stat of every process, once, when a run kill is asked.
import type { DescendantsResult } from './descendants';
import { killProcess } from './kill';
import type { KillEnv, KillTarget, TargetOutcome } from './kill';
import { readProcessIdentity } from './readProcess';
import { readArgv, readProcTable } from './procTable';
import type { StatNode } from './procTable';
import type { ProcIdentity } from './types';

/** What runTargets needs of each process: its stat fields (procTable.ts). */
export type RunNode = StatNode;

/**
 * The processes to signal after the root, parents before children: descendants first (breadth-
 * first, a child never older than its parent), then leaderless-session members in pid order.
 * `exclude`: pids never to include (this process and its ancestors). Zombies are skipped.
 */
export function runTargets(
  root: RunNode,
  nodes: readonly RunNode[],
  exclude: ReadonlySet<number>,
): RunNode[] {
  const children = new Map<number, RunNode[]>();
  for (const n of nodes) {
    const list = children.get(n.ppid);
    if (list === undefined) children.set(n.ppid, [n]);
    else list.push(n);
  }
  const taken = new Set<number>([root.pid]);
  const out: RunNode[] = [];
  const queue: RunNode[] = [root];
  for (let at = 0; at < queue.length; at++) {
    const parent = queue[at]!;
    const kids = [...(children.get(parent.pid) ?? [])].sort((a, b) => a.pid - b.pid);
    for (const kid of kids) {
      if (taken.has(kid.pid) || kid.starttime < parent.starttime) continue;
      taken.add(kid.pid);
      queue.push(kid);
      if (usable(kid, exclude)) out.push(kid);
    }
  }
  if (!sessionIsTheRun(root, nodes, taken)) return out;
  const members = nodes
    .filter((n) => n.sid === root.sid && !taken.has(n.pid) && usable(n, exclude))
    .sort((a, b) => a.pid - b.pid);
  return [...out, ...members];
}

/** The session counts as the run when its leader is gone, or is the root or one of its own. */
function sessionIsTheRun(root: RunNode, nodes: readonly RunNode[], inTree: ReadonlySet<number>): boolean {
  if (root.sid <= 1) return false; // sid 0: the leader is outside this pid namespace
  const leader = nodes.find((n) => n.pid === root.sid && n.sid === root.sid);
  return leader === undefined || leader.state === 'Z' || inTree.has(leader.pid);
}

function usable(n: RunNode, exclude: ReadonlySet<number>): boolean {
  return n.pid > 1 && !exclude.has(n.pid) && n.state !== 'Z' && n.state !== 'X';
}

/** As listDescendants's result (descendants.ts), so a front end takes either. */
export type RunMembersResult = DescendantsResult;

/** Every process's stat (batched listing, sliced), then runTargets, then each target's argv. */
export async function listRunMembers(
  procRoot: string,
  root: ProcIdentity,
  exclude: ReadonlySet<number>,
): Promise<RunMembersResult> {
  const table = await readProcTable(procRoot);
  if (table.kind === 'unreadable') return table;
  const nodes = table.nodes;
  const rootNode = nodes.find((n) => n.pid === root.pid);
  if (rootNode === undefined) return { kind: 'vanished' };
  if (rootNode.starttime !== root.starttime) return { kind: 'pidReused' };
  const descendants: KillTarget[] = [];
  for (const n of runTargets(rootNode, nodes, exclude)) {
    const argv = readArgv(procRoot, n.pid);
    if (argv !== null) descendants.push({ pid: n.pid, starttime: n.starttime, argv });
  }
  return { kind: 'ok', descendants };
}

/**
 * After SIGTERM: a stopped process (state T/t) acts on it only once continued, so each stopped
 * target gets SIGCONT, through killProcess (identity re-checked; descendants-style, no pattern).
 */
export async function continueStopped(
  targets: readonly KillTarget[],
  env: KillEnv,
): Promise<TargetOutcome[]> {
  const results: TargetOutcome[] = [];
  for (const target of targets) {
    const now = await readProcessIdentity(env.procRoot, target.pid);
    if (now.kind !== 'ok' || now.starttime !== target.starttime) continue;
    if (now.state !== 'T' && now.state !== 't') continue;
    results.push({ target, outcome: await killProcess(target, 'SIGCONT', env, { requireMatch: false }) });
  }
  return results;
}
