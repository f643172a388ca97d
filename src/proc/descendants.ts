// Descendants of a process (xdist workers, fixture subprocesses), each with its identity, so
// "terminate with its descendants" can re-verify and signal every one of them.
import { opendirSync } from 'node:fs';
import type { Dir } from 'node:fs';
import { join } from 'node:path';
import type { KillTarget } from './kill';
import type { ProcIdentity } from './types';
import { parseCmdline } from './parseCmdline';
import { parseStat } from './parseStat';
import { MAX_CMDLINE_BYTES, MAX_SMALL_FILE_BYTES, readBoundedSync, readTextBoundedSync } from './boundedRead';

export type DescendantsResult =
  /** Parents before their children (breadth-first). */
  | { readonly kind: 'ok'; readonly descendants: readonly KillTarget[] }
  | { readonly kind: 'vanished' }
  | { readonly kind: 'pidReused' }
  | { readonly kind: 'unreadable'; readonly error: string };

interface Node {
  readonly pid: number;
  readonly ppid: number;
  readonly starttime: number;
}

// Sync reads of tiny /proc files are the fast path (PERF-NOTES); yield to the event loop
// every couple of milliseconds so a big tree does not block the extension host.
const SLICE_MS = 2;

/**
 * Reads stat of EVERY process under procRoot: there is no portable children list
 * (/proc/<pid>/task/<tid>/children needs CONFIG_PROC_CHILDREN and misses other threads'
 * children). This is the one place that reads beyond matches and their parents, and it only
 * runs when the user asks to kill a tree. Never rejects.
 */
export async function listDescendants(procRoot: string, root: ProcIdentity): Promise<DescendantsResult> {
  // Listed in batches (opendir), not one readdirSync: on a machine with many processes that
  // alone blocks the event loop for milliseconds.
  let dir: Dir;
  try {
    dir = opendirSync(procRoot, { bufferSize: 256 });
  } catch (err) {
    return { kind: 'unreadable', error: `cannot read ${procRoot}: ${(err as Error).message}` };
  }
  const children = new Map<number, Node[]>();
  let rootNode: Node | null = null;
  let sliceStart = performance.now();
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (!/^\d+$/.test(entry.name)) continue;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      const node = readNode(procRoot, Number(entry.name));
      if (node === null) continue;
      if (node.pid === root.pid) rootNode = node;
      const siblings = children.get(node.ppid);
      if (siblings === undefined) children.set(node.ppid, [node]);
      else siblings.push(node);
    }
  } catch (err) {
    return { kind: 'unreadable', error: `listing ${procRoot} failed: ${(err as Error).message}` };
  } finally {
    dir.closeSync();
  }
  if (rootNode === null) return { kind: 'vanished' };
  if (rootNode.starttime !== root.starttime) return { kind: 'pidReused' };

  const descendants: KillTarget[] = [];
  const queue: Node[] = [rootNode];
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

function readNode(procRoot: string, pid: number): Node | null {
  try {
    const stat = parseStat(readTextBoundedSync(join(procRoot, String(pid), 'stat'), MAX_SMALL_FILE_BYTES));
    if (!stat.ok || stat.value.pid !== pid) return null;
    return { pid, ppid: stat.value.ppid, starttime: stat.value.starttime };
  } catch {
    return null; // vanished or denied: not signallable from here anyway
  }
}

function readArgv(procRoot: string, pid: number): string[] | null {
  try {
    return parseCmdline(readBoundedSync(join(procRoot, String(pid), 'cmdline'), MAX_CMDLINE_BYTES));
  } catch {
    return null;
  }
}
