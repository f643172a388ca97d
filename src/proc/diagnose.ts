// Diagnosis of one run (a matched root, or a process left behind by tests) and its descendants:
// activity over the interval since the previous reading, tests, holds, the run. Reads only
// these processes' files; the caller passes one context per scan (net tables, git memo).
import {
  cpuPercentBetween,
  demandPercentBetween,
  idleSecondsOf,
  parseSchedstat,
  parseWchan,
  quietSince,
  verdictOf,
} from './activity';
import type { CpuReading } from './activity';
import { PAGE_SIZE_BYTES } from './constants';
import type { DiagMemory } from './diagMemory';
import type { DiagReader } from './diagRead';
import type {
  Activity,
  Diagnosis,
  Holds,
  ListeningSocket,
  ProcessDiagnosis,
  RunInfo,
  WorkerDiagnosis,
  WorkerRole,
} from './diagnosisTypes';
import type { GitPlace } from './gitBranch';
import { holdsOf, scanFds } from './holdsReader';
import type { NetTables, SocketLookup } from './holdsReader';
import { isExecnetBootstrap, isXdistTitle, testsFromArgv } from './nodeIds';
import { classifyFdLink, containingDir } from './parseFdLinks';
import type { Subject } from './runTree';

export interface DiagnoseContext {
  readonly reader: DiagReader;
  /** What was read last scan, reused for processes that have not run since. */
  readonly memory: DiagMemory;
  readonly net: NetTables;
  readonly userHz: number;
  /** /proc/uptime of this reading, seconds. */
  readonly nowSeconds: number;
  /** Readings of the previous scan (or of the first sample), by identity key. */
  readonly previous: ReadonlyMap<string, CpuReading>;
  /** This scan's readings are added here, for the next one. */
  readonly readings: Map<string, CpuReading>;
  readonly workspaces: readonly string[];
  readonly basetemps: readonly string[];
  /** Branch of a cwd as `pid` sees it; memoized per scan by the caller. */
  readonly git: (cwd: string, pid: number) => GitPlace | null;
}

/** Everything about one run: the root's own diagnosis and its workers'. */
export function diagnoseRun(
  ctx: DiagnoseContext,
  root: Subject,
  rootCwd: string | null,
  descendants: readonly Subject[],
  workersComplete: boolean,
  previous?: Diagnosis,
): Diagnosis {
  const refreshed = previous === undefined ? null : refreshQuiet(ctx, previous, root, rootCwd, descendants);
  if (refreshed !== null) return refreshed;
  const folders = rootCwd === null ? ctx.workspaces : [rootCwd, ...ctx.workspaces];
  const own = diagnoseOne(ctx, root, rootCwd, folders);
  const workers = descendants.map((d): WorkerDiagnosis => {
    const cwd = cwdOf(ctx.memory, ctx.reader, d);
    const diagnosis = diagnoseOne(ctx, d, cwd, folders);
    return {
      pid: d.pid,
      starttime: d.starttime,
      ppid: d.ppid,
      comm: d.comm,
      argv: d.argv,
      role: roleOf(d, root, diagnosis.holds),
      ageSeconds: Math.max(0, ctx.nowSeconds - d.starttime / ctx.userHz),
      rssBytes: d.rssPages === null ? null : d.rssPages * PAGE_SIZE_BYTES,
      activity: diagnosis.activity,
      tests: diagnosis.tests,
      holds: diagnosis.holds,
      run: diagnosis.run,
    };
  });
  // Literals, not `{...own, workers}`: a spread adding keys takes V8's slow path (sampleBuilder.ts).
  return {
    activity: own.activity,
    tests: own.tests,
    holds: own.holds,
    run: own.run,
    workers,
    workersComplete,
  };
}

/** The cwd link of `s`, read again only when it has run since the last scan (diagMemory). */
export function cwdOf(memory: DiagMemory, reader: DiagReader, s: Subject): string | null {
  return memory.recall(reader, s, 'cwd', () => {
    const link = reader.cwd(s.pid);
    return link.ok ? link.value : null;
  });
}

function diagnoseOne(
  ctx: DiagnoseContext,
  s: Subject,
  cwd: string | null,
  folders: readonly string[],
): ProcessDiagnosis {
  const fds = ctx.memory.recall(ctx.reader, s, 'fds', () => scanFds(ctx.reader, s.pid));
  const listeners = listenersOf(ctx, s);
  const net: SocketLookup = {
    listening: (pid, inode) => {
      let socket = listeners.get(inode);
      if (socket === undefined) {
        socket = ctx.net.listening(pid, inode);
        if (socket !== undefined) listeners.set(inode, socket);
      }
      return socket;
    },
  };
  const holds: Holds = holdsOf(s.pid, fds, cwd, {
    net,
    folders,
    basetemps: ctx.basetemps,
  });
  return { activity: activityOf(ctx, s), tests: testsFromArgv(s.argv), holds, run: runOf(ctx, s, cwd) };
}

/** The sockets `s` was found listening on, kept while it does not run (diagMemory). */
const listenersOf = (ctx: DiagnoseContext, s: Subject): Map<number, ListeningSocket> =>
  ctx.memory.recall(ctx.reader, s, 'listeners', () => new Map());

/**
 * Last scan's diagnosis of a lone process (no descendants then or now) that has not run since:
 * only its activity and its branch are read again. Not when it holds a socket that was not
 * listening then: a process sharing it may have started listening on it meanwhile.
 */
function refreshQuiet(
  ctx: DiagnoseContext,
  previous: Diagnosis,
  root: Subject,
  rootCwd: string | null,
  descendants: readonly Subject[],
): Diagnosis | null {
  if (descendants.length > 0 || previous.workers.length > 0 || previous.run.cwd !== rootCwd) return null;
  if (!ctx.memory.probe(ctx.reader, root).quiet) return null;
  const fds = ctx.memory.recall(ctx.reader, root, 'fds', () => scanFds(ctx.reader, root.pid));
  const listeners = listenersOf(ctx, root);
  const unsettled = (target: string): boolean => {
    const link = classifyFdLink(target);
    return link.kind === 'socket' && !listeners.has(link.inode);
  };
  if (fds.links.some(unsettled)) return null;
  return {
    activity: activityOf(ctx, root),
    tests: previous.tests,
    holds: previous.holds,
    run: runOf(ctx, root, rootCwd),
    workers: previous.workers,
    workersComplete: previous.workersComplete,
  };
}

/**
 * CPU since the previous reading, and schedstat's demand (time on a CPU plus time waiting for
 * one): on a crowded machine a spinner gets a fraction of a core but waits for the rest, and that
 * is what tells it from a busy process. schedstat is read every scan anyway (diagMemory's probe).
 */
function activityOf(ctx: DiagnoseContext, s: Subject): Activity {
  const key = s.key;
  const previous = ctx.previous.get(key);
  const probe = ctx.memory.probe(ctx.reader, s);
  const at = { cpuTicks: s.cpuTicks, atSeconds: ctx.nowSeconds };
  const reading: CpuReading = {
    ...at,
    demandNs: probe.demandNs,
    quietSinceSeconds: quietSince(previous, at),
  };
  ctx.readings.set(key, reading);
  const cpuPercent = cpuPercentBetween(previous, reading, ctx.userHz);
  const demand = demandPercentBetween(previous, reading);
  // wchan names what a sleeper waits in (do_select, futex_wait…); a running process has none.
  let wchan: string | null = null;
  if (s.state !== 'R' && s.state !== 'Z') {
    wchan = ctx.memory.recall(ctx.reader, s, 'wchan', () => {
      const text = ctx.reader.small(s.pid, 'wchan');
      return text.ok ? parseWchan(text.value) : null;
    });
  }
  const verdict = verdictOf(s.state, cpuPercent, demand);
  return {
    cpuPercent,
    cpuSeconds: s.cpuTicks / ctx.userHz,
    state: s.state,
    verdict,
    wchan,
    idleSeconds: idleSecondsOf(verdict, previous, reading),
  };
}

/** A reading to measure the next one against (schedstat whatever the state: see activityOf). */
export function firstReading(reader: DiagReader, s: Subject, nowSeconds: number): CpuReading {
  const text = reader.small(s.pid, 'schedstat');
  return {
    cpuTicks: s.cpuTicks,
    atSeconds: nowSeconds,
    demandNs: text.ok ? (parseSchedstat(text.value)?.demandNs ?? null) : null,
    quietSinceSeconds: null,
  };
}

function runOf(ctx: DiagnoseContext, s: Subject, cwd: string | null): RunInfo {
  const place = cwd === null ? null : ctx.git(cwd, s.pid);
  return {
    sid: s.sid,
    pgid: s.pgid,
    cwd,
    branch: place?.branch ?? null,
    worktree: place?.worktree ?? null,
    workspace: cwd === null ? null : containingDir(cwd, ctx.workspaces),
  };
}

/** xdist worker, then server (listens), then setsid child (own session), else child. */
function roleOf(d: Subject, root: Subject, holds: Holds): WorkerRole {
  if (isXdistTitle(d.argv) || isExecnetBootstrap(d.argv)) return 'xdist-worker';
  if (holds.listening.length > 0) return 'server';
  if (d.sid !== root.sid) return 'setsid-child';
  return 'child';
}
