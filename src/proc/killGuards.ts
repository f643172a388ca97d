// What the kill protocol (kill.ts) checks besides identity: which pids it must never signal
// (this process and its ancestors), whether the proc root's pids are our own namespace's, and,
// after EPERM, the command the user can run instead. Reads are bounded (boundedRead.ts).
import { join } from 'node:path';
import { MAX_SMALL_FILE_BYTES, readTextBounded } from './boundedRead';
import { suggestKillCommand } from './killHint';
import type { KillSignal } from './killHint';
import { parseCgroup } from './parseCgroup';
import { parseStat } from './parseStat';
import { parseStatus } from './parseStatus';

async function readText(path: string): Promise<string | null> {
  try {
    return await readTextBounded(path, MAX_SMALL_FILE_BYTES);
  } catch {
    return null;
  }
}

/** procRoot shows this process under its own pid with the same starttime as /proc/self does. */
export async function procRootIsOwn(procRoot: string, pid = process.pid): Promise<boolean> {
  const starttimeOf = async (path: string): Promise<number | null> => {
    const text = await readText(path);
    const stat = text === null ? null : parseStat(text);
    return stat?.ok === true ? stat.value.starttime : null;
  };
  const [there, here] = await Promise.all([
    starttimeOf(join(procRoot, String(pid), 'stat')),
    starttimeOf('/proc/self/stat'),
  ]);
  return there !== null && there === here;
}

/** `pid` and every ancestor up to pid 1, following stat's ppid (field 4). Never rejects. */
export async function selfAndAncestors(procRoot: string, pid: number): Promise<ReadonlySet<number>> {
  const pids = new Set<number>();
  let current = pid;
  // Bounded: a malformed tree with a ppid cycle must not loop forever.
  while (current > 0 && !pids.has(current) && pids.size < 4096) {
    pids.add(current);
    const text = await readText(join(procRoot, String(current), 'stat'));
    const stat = text === null ? null : parseStat(text);
    if (stat?.ok !== true) break;
    current = stat.value.ppid;
  }
  return pids;
}

/** After EPERM: `sudo kill …`, or `docker exec … kill …` with the container's own pid. */
export async function deniedCommand(procRoot: string, pid: number, signal: KillSignal): Promise<string> {
  const dir = join(procRoot, String(pid));
  const [status, cgroup] = await Promise.all([readText(join(dir, 'status')), readText(join(dir, 'cgroup'))]);
  const parsed = status === null ? null : parseStatus(status);
  const nspid = parsed?.ok ? parsed.value.nspid : null;
  return suggestKillCommand(pid, signal, cgroup === null ? null : parseCgroup(cgroup), nspid);
}
