// The processes of a matched run: the root and its descendants (xdist workers, fixture servers,
// setsid children), found from the root down through task/<tid>/children, so only the run's
// own processes are read, never the whole process table.
import type { DiagMemory } from './diagMemory';
import type { DiagReader } from './diagRead';
import type { StatFields } from './parseStat';
import { identityKey } from './types';
import type { ProcessSample } from './types';

/** One process of a run, as read this scan. */
export interface Subject {
  readonly pid: number;
  readonly starttime: number;
  /** identityKey, built once: diagnosis looks processes up by it several times a scan. */
  readonly key: string;
  readonly ppid: number;
  readonly comm: string;
  readonly state: string;
  readonly sid: number;
  readonly pgid: number;
  readonly threads: number;
  /** utime + stime, clock ticks. */
  readonly cpuTicks: number;
  readonly rssPages: number | null;
  readonly argv: readonly string[];
}

/** Most descendants listed per run: a fork bomb under a test must not stall the scan. */
const MAX_DESCENDANTS = 256;

export function subjectFromSample(sample: ProcessSample, userHz: number): Subject {
  return {
    pid: sample.pid,
    starttime: sample.starttime,
    key: identityKey(sample),
    ppid: sample.ppid,
    comm: sample.comm,
    state: sample.state,
    sid: sample.sid,
    pgid: sample.pgid,
    threads: sample.threads,
    cpuTicks: Math.round(sample.cpuSeconds * userHz),
    rssPages: null,
    argv: sample.argv,
  };
}

export function subjectFromStat(stat: StatFields, argv: readonly string[]): Subject {
  return {
    pid: stat.pid,
    starttime: stat.starttime,
    key: identityKey(stat),
    ppid: stat.ppid,
    comm: stat.comm,
    state: stat.state,
    sid: stat.session,
    pgid: stat.pgrp,
    threads: stat.numThreads,
    cpuTicks: stat.utimeTicks + stat.stimeTicks,
    rssPages: stat.rssPages >= 0 ? stat.rssPages : null,
    argv,
  };
}

/** The same process read again (state, CPU); null when it is gone or its pid was reused. */
export function restat(reader: DiagReader, subject: Subject): Subject | null {
  const stat = reader.stat(subject.pid);
  if (!stat.ok || stat.value.starttime !== subject.starttime) return null;
  return subjectFromStat(stat.value, subject.argv);
}

/**
 * Descendants of `root`, parents before children, siblings in pid order. A listed child whose
 * stat names another parent, or that started before its parent, is a reused pid: skipped.
 */
export function discoverDescendants(
  reader: DiagReader,
  root: Subject,
  memory: DiagMemory | null = null,
  max = MAX_DESCENDANTS,
): { descendants: Subject[]; complete: boolean } {
  // With a memory, a process that has not run since last scan is not read again (diagMemory.ts).
  const children = (p: Subject): number[] | null =>
    memory === null
      ? reader.children(p.pid, p.threads)
      : memory.recall(reader, p, 'children', () => reader.children(p.pid, p.threads));
  const descendants: Subject[] = [];
  const seen = new Set<number>([root.pid]);
  const queue: Subject[] = [root];
  let complete = true;
  for (let at = 0; at < queue.length; at++) {
    const parent = queue[at]!;
    const listed = children(parent);
    if (listed === null) continue;
    const kids = [...listed].sort((a, b) => a - b);
    for (const pid of kids) {
      if (seen.has(pid)) continue;
      if (descendants.length >= max) {
        complete = false;
        break;
      }
      seen.add(pid);
      const stat = reader.stat(pid, memory !== null);
      if (!stat.ok || stat.value.ppid !== parent.pid || stat.value.starttime < parent.starttime) continue;
      const readArgv = (): string[] => {
        const argv = reader.argv(pid);
        return argv.ok ? argv.value : [];
      };
      const id = { pid, key: identityKey(stat.value), threads: stat.value.numThreads };
      const argv = memory === null ? readArgv() : memory.recall(reader, id, 'argv', readArgv);
      const child = subjectFromStat(stat.value, argv);
      descendants.push(child);
      queue.push(child);
    }
  }
  return { descendants, complete };
}
