// Every process's stat under a proc root, for the two questions that need the whole table: a
// tree's descendants (descendants.ts) and a run's members (runTargets.ts). There is no portable
// children list (/proc/<pid>/task/<tid>/children needs CONFIG_PROC_CHILDREN and misses other
// threads' children), so this is the one walk that reads beyond matches and their parents; it
// runs only when the user asks to kill a tree or a run. Never rejects.
import { opendirSync } from 'node:fs';
import type { Dir } from 'node:fs';
import { join } from 'node:path';
import { MAX_CMDLINE_BYTES, MAX_SMALL_FILE_BYTES, readBoundedSync, readTextBoundedSync } from './boundedRead';
import { parseCmdline } from './parseCmdline';
import { parseStat } from './parseStat';
import type { ProcIdentity } from './types';

export interface StatNode extends ProcIdentity {
  readonly ppid: number;
  readonly sid: number;
  readonly pgid: number;
  readonly state: string;
}

export type ProcTable =
  | { readonly kind: 'ok'; readonly nodes: readonly StatNode[] }
  | { readonly kind: 'unreadable'; readonly error: string };

// Sync reads of tiny /proc files are the fast path (PERF-NOTES); yield to the event loop every
// couple of milliseconds so a big table does not block the extension host.
const SLICE_MS = 2;

const isPidName = (name: string): boolean => {
  if (name.length === 0) return false;
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
};

/** stat of every process, listed in batches (opendir, not one readdirSync) and sliced. */
export async function readProcTable(procRoot: string): Promise<ProcTable> {
  let dir: Dir;
  try {
    dir = opendirSync(procRoot, { bufferSize: 256 });
  } catch (err) {
    return { kind: 'unreadable', error: `cannot read ${procRoot}: ${(err as Error).message}` };
  }
  const nodes: StatNode[] = [];
  let sliceStart = performance.now();
  try {
    for (let entry = dir.readSync(); entry !== null; entry = dir.readSync()) {
      if (!isPidName(entry.name)) continue;
      if (performance.now() - sliceStart > SLICE_MS) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
      const node = readNode(procRoot, Number(entry.name));
      if (node !== null) nodes.push(node);
    }
  } catch (err) {
    return { kind: 'unreadable', error: `listing ${procRoot} failed: ${(err as Error).message}` };
  } finally {
    dir.closeSync();
  }
  return { kind: 'ok', nodes };
}

function readNode(procRoot: string, pid: number): StatNode | null {
  try {
    const stat = parseStat(readTextBoundedSync(join(procRoot, String(pid), 'stat'), MAX_SMALL_FILE_BYTES));
    if (!stat.ok || stat.value.pid !== pid) return null;
    const { ppid, starttime, session, pgrp, state } = stat.value;
    return { pid, ppid, starttime, sid: session, pgid: pgrp, state };
  } catch {
    return null; // vanished or denied: not signallable from here anyway
  }
}

/** A process's argv, null when it exited meanwhile or cannot be read. */
export function readArgv(procRoot: string, pid: number): string[] | null {
  try {
    return parseCmdline(readBoundedSync(join(procRoot, String(pid), 'cmdline'), MAX_CMDLINE_BYTES));
  } catch {
    return null;
  }
}
