// Turns one matched process into a ProcessSample: stat, status, cgroup, cwd and the parent's
// stat are read here, and only here, so they are read for matches alone (never environ).
import { PAGE_SIZE_BYTES } from './constants';
import { classifyError } from './errors';
import type { ProcErrorKind } from './errors';
import type { FdCache, TaskDetails, TaskHandles } from './fdCache';
import { isOrphaned } from './orphan';
import { parseCgroup } from './parseCgroup';
import { parseStat } from './parseStat';
import { parseStatus } from './parseStatus';
import type { ProcFs } from './procFs';
import type { ReadBuffer } from './readBuffer';
import type { ProcessSample } from './types';

export interface SampleContext {
  readonly fs: ProcFs;
  /** The proc root with a trailing slash, so paths are built by concatenation. */
  readonly rootSlash: string;
  readonly buffer: ReadBuffer;
  readonly cache: FdCache;
  readonly userHz: number;
  readonly uptimeSeconds: number;
  readonly reapers: readonly string[];
  /** Parent comm by pid, shared by the matches of one scan (siblings share a parent). */
  readonly parentComms: Map<number, string | null>;
  /** Read the cwd link (ProcScannerOptions.readCwd); else the sample's cwd is null. */
  readonly readCwd: boolean;
}

export type SampleOutcome = { kind: 'ok'; sample: ProcessSample } | { kind: ProcErrorKind };

/**
 * `taskFd` is an open fd of the task the argv was read from (its cmdline, or its kept schedstat
 * once gated: either is bound to the task). Unless stat came through a
 * kept stat fd (bound to that task and checked when it was opened), `taskFd` is re-read after
 * the other files: a successful read proves the task was alive throughout, so stat & co. belong
 * to it and not to a process that took over a recycled pid (then the read fails: ESRCH).
 * `handles` (the task's fd-cache entry, if any) lets a steady-state scan keep the stat fd and
 * read status/cgroup once per task instead of every scan.
 */
export function buildSample(
  ctx: SampleContext,
  pid: number,
  argv: readonly string[],
  pattern: string,
  taskFd: number,
  handles: TaskHandles | null,
): SampleOutcome {
  const dir = ctx.rootSlash + pid + '/';
  let statText: string;
  let verified = false;
  try {
    if (handles !== null && handles.statFd !== null) {
      statText = ctx.buffer.readFd(ctx.fs, handles.statFd, true).toString('utf8');
      verified = true;
    } else {
      const fd = ctx.fs.openSync(dir + 'stat');
      try {
        statText = ctx.buffer.readFd(ctx.fs, fd, false).toString('utf8');
      } finally {
        if (handles === null || !ctx.cache.keepStat(handles, fd)) ctx.fs.closeSync(fd);
      }
    }
  } catch (error) {
    return { kind: classifyError(error) };
  }
  const stat = parseStat(statText);
  if (!stat.ok || stat.value.pid !== pid) return { kind: 'malformed' };
  const { comm, state, ppid, starttime, utimeTicks, stimeTicks, rssPages, session, pgrp, numThreads } =
    stat.value;

  let details = handles?.details ?? null;
  if (details === null || details.starttime !== starttime) details = readDetails(ctx, dir, starttime);
  const cwd = ctx.readCwd ? optional(() => ctx.fs.readlinkSync(dir + 'cwd')) : undefined;

  if (!verified) {
    try {
      ctx.buffer.readFd(ctx.fs, taskFd, true);
    } catch (error) {
      return { kind: classifyError(error) };
    }
  }
  if (handles !== null) handles.details = details;

  const parentComm = ppid > 0 ? readParentComm(ctx, ppid) : null;
  const sample: ProcessSample = {
    pid,
    starttime,
    ppid,
    comm,
    state,
    argv,
    ageSeconds: Math.max(0, ctx.uptimeSeconds - starttime / ctx.userHz),
    cpuSeconds: (utimeTicks + stimeTicks) / ctx.userHz,
    // stat field 24 is current each scan; status's VmRSS is the same counter in kB.
    rssBytes: rssPages >= 0 ? rssPages * PAGE_SIZE_BYTES : null,
    uid: details.uid,
    nspid: details.nspid,
    containerId: details.containerId,
    cwd: cwd ?? null,
    parent: parentComm !== null ? { pid: ppid, comm: parentComm } : null,
    orphaned: isOrphaned(ppid, parentComm, ctx.reapers),
    pattern,
    sid: session,
    pgid: pgrp,
    threads: numThreads,
    // Declared now so adding them later keeps the object's shape: V8's `{...sample, diagnosis}`
    // with a property the source lacks takes a slow path (~100x, measured).
    diagnosis: undefined,
    leftBy: undefined,
  };
  return { kind: 'ok', sample };
}

// uid, NSpid and the container are read once per task: NSpid and the cgroup of a process under
// a container runtime do not change, and a setuid after start is not worth a read every scan.
function readDetails(ctx: SampleContext, dir: string, starttime: number): TaskDetails {
  // Whole-file text reads: one fs call each instead of open/read/close (see ProcFs.readTextSync).
  const status = optional(() => parseStatus(ctx.fs.readTextSync(dir + 'status')));
  const fields = status?.ok ? status.value : null;
  const containerId = optional(() => parseCgroup(ctx.fs.readTextSync(dir + 'cgroup')));
  return {
    starttime,
    uid: fields?.uid ?? null,
    nspid: fields?.nspid ?? null,
    containerId: containerId ?? null,
  };
}

function readParentComm(ctx: SampleContext, ppid: number): string | null {
  const known = ctx.parentComms.get(ppid);
  if (known !== undefined) return known;
  const text = optional(() => ctx.fs.readTextSync(ctx.rootSlash + ppid + '/stat'));
  const stat = text === undefined ? null : parseStat(text);
  const comm = stat?.ok ? stat.value.comm : null;
  ctx.parentComms.set(ppid, comm);
  return comm;
}

// Extras (status, cgroup, cwd, the parent) are best effort: another user's cwd is EACCES even
// when its cmdline is readable, and that must not hide the process.
function optional<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
