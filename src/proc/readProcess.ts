// Fresh, identity-bearing read of one process, for re-verification right before a kill.
import { join } from 'node:path';
import { MAX_CMDLINE_BYTES, readBounded, readBoundedSync } from './boundedRead';
import { classifyError } from './errors';
import { parseCmdline } from './parseCmdline';
import { parseStat } from './parseStat';

export type ProcessIdentityRead =
  | { kind: 'ok'; pid: number; starttime: number; ppid: number; comm: string; state: string; argv: string[] }
  | { kind: 'vanished' }
  | { kind: 'denied' }
  | { kind: 'malformed'; error: string };

type Reader = (path: string) => Buffer | Promise<Buffer>;

// stat, cmdline, then stat again: if the pid was reused between the reads, the two starttimes
// differ and the argv may belong to another process, so the one asked about is reported gone.
function* steps(procRoot: string, pid: number): Generator<string, ProcessIdentityRead, Buffer> {
  const dir = join(procRoot, String(pid));
  const statText = (yield join(dir, 'stat')).toString('utf8');
  const stat = parseStat(statText);
  if (!stat.ok) return { kind: 'malformed', error: stat.error };
  if (stat.value.pid !== pid)
    return { kind: 'malformed', error: `stat: pid ${stat.value.pid} in /proc/${pid}` };
  const argv = parseCmdline(yield join(dir, 'cmdline'));
  const again = parseStat((yield join(dir, 'stat')).toString('utf8'));
  if (!again.ok || again.value.starttime !== stat.value.starttime) return { kind: 'vanished' };
  const { starttime, ppid, comm, state } = again.value;
  return { kind: 'ok', pid, starttime, ppid, comm, state, argv };
}

function failure(error: unknown): ProcessIdentityRead {
  const kind = classifyError(error);
  if (kind === 'malformed') return { kind, error: error instanceof Error ? error.message : String(error) };
  return { kind };
}

/** Reads stat + cmdline of `pid` fresh. Never rejects. */
export async function readProcessIdentity(procRoot: string, pid: number): Promise<ProcessIdentityRead> {
  return drive(procRoot, pid, (path) => readBounded(path, MAX_CMDLINE_BYTES));
}

/** Synchronous twin of readProcessIdentity (a few small reads), for callers that cannot await. */
export function readProcessIdentitySync(procRoot: string, pid: number): ProcessIdentityRead {
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'malformed', error: `bad pid ${pid}` };
  const it = steps(procRoot, pid);
  try {
    let step = it.next();
    while (!step.done) step = it.next(readBoundedSync(step.value, MAX_CMDLINE_BYTES));
    return step.value;
  } catch (error) {
    return failure(error);
  }
}

async function drive(procRoot: string, pid: number, read: Reader): Promise<ProcessIdentityRead> {
  if (!Number.isInteger(pid) || pid <= 0) return { kind: 'malformed', error: `bad pid ${pid}` };
  const it = steps(procRoot, pid);
  try {
    let step = it.next();
    while (!step.done) step = it.next(await read(step.value));
    return step.value;
  } catch (error) {
    return failure(error);
  }
}
