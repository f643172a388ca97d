// Descendants of a process (xdist workers, fixture subprocesses), each with its identity, so
// "terminate with its descendants" can re-verify and signal every one of them.
import type { KillTarget } from './kill';
import { readArgv, readProcTable } from './procTable';
import type { StatNode } from './procTable';
import type { ProcIdentity } from './types';

export type DescendantsResult =
  /** Parents before their children (breadth-first). */
  | { readonly kind: 'ok'; readonly descendants: readonly KillTarget[] }
  | { readonly kind: 'vanished' }
  | { readonly kind: 'pidReused' }
  | { readonly kind: 'unreadable'; readonly error: string };

/**
 * The descendants of `root` from the whole process table (procTable.ts): only run when the user
 * asks to kill a tree. Never rejects.
 */
export async function listDescendants(procRoot: string, root: ProcIdentity): Promise<DescendantsResult> {
  const table = await readProcTable(procRoot);
  if (table.kind === 'unreadable') return table;
  const children = new Map<number, StatNode[]>();
  let rootNode: StatNode | null = null;
  for (const node of table.nodes) {
    if (node.pid === root.pid) rootNode = node;
    const siblings = children.get(node.ppid);
    if (siblings === undefined) children.set(node.ppid, [node]);
    else siblings.push(node);
  }
  if (rootNode === null) return { kind: 'vanished' };
  if (rootNode.starttime !== root.starttime) return { kind: 'pidReused' };

  const descendants: KillTarget[] = [];
  const queue: StatNode[] = [rootNode];
  const seen = new Set<number>([rootNode.pid]);
  for (let parent = queue.shift(); parent !== undefined; parent = queue.shift()) {
    // Siblings in pid order: the listing order of a directory is arbitrary.
    const siblings = (children.get(parent.pid) ?? []).sort((a, b) => a.pid - b.pid);
    for (const child of siblings) {
      // A child cannot start before its parent; if it seems to, the tree changed under us.
      if (seen.has(child.pid) || child.starttime < parent.starttime) continue;
      seen.add(child.pid);
      const argv = readArgv(procRoot, child.pid);
      if (argv === null) continue; // exited meanwhile
      descendants.push({ pid: child.pid, starttime: child.starttime, argv });
      queue.push(child);
    }
  }
  return { kind: 'ok', descendants };
}
