// The only write: signal a process known by identity, re-verified right before each signal.
// I/O seams (proc root, signal function, protected pids) are parameters so the protocol runs
// unchanged on fake trees and on real processes.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArgvMatcher, ProcIdentity } from './types';
import { DEFAULT_REAPERS } from './orphan';
import { parseCgroup } from './parseCgroup';
import { parseStat } from './parseStat';
import { parseStatus } from './parseStatus';
import { readProcessIdentity } from './readProcess';
import { suggestKillCommand } from './killHint';
import type { KillSignal } from './killHint';

export type { KillSignal } from './killHint';

/** What a kill is aimed at: never a bare pid. `argv` is the command line the user was shown. */
export interface KillTarget extends ProcIdentity {
  readonly argv: readonly string[];
}

export type KillOutcome =
  | { readonly kind: 'killed'; readonly signal: KillSignal }
  | { readonly kind: 'alreadyGone' }
  | { readonly kind: 'pidReused' }
  | { readonly kind: 'denied'; readonly command: string }
  | { readonly kind: 'refused'; readonly code: RefusalCode; readonly reason: string };

/**
 * Why a kill was refused, for front ends that word it themselves (the editor localizes it);
 * `reason` is the English sentence the CLI and the logs print.
 */
export type RefusalCode =
  | 'init'
  | 'ancestorsUnknown'
  | 'foreignNamespace'
  | 'ownProcess'
  | 'unreadable'
  | 'unverifiable'
  | 'reaper'
  | 'noMatch'
  | 'signalFailed';

export interface TargetOutcome {
  readonly target: KillTarget;
  readonly outcome: KillOutcome;
}

/** Sends a signal; throws like process.kill (err.code ESRCH, EPERM). */
export type SignalFn = (pid: number, signal: KillSignal) => void;

export interface KillEnv {
  readonly procRoot: string;
  readonly signal: SignalFn;
  /** Pids never to signal: this process (the extension host) and its ancestors. */
  readonly protectedPids: () => Promise<ReadonlySet<number>>;
  /** The root of a kill must still match a configured pattern. */
  readonly matcher: ArgvMatcher;
  /** Comms of reapers (DEFAULT_REAPERS plus configured ones). */
  readonly reapers: readonly string[];
  /**
   * Whether pids under procRoot are pids of the namespace `signal` acts in. A procRoot mounted
   * from another pid namespace (`/host/proc` in a container) names other processes by the same
   * numbers: verifying there and signalling here would hit the wrong process.
   */
  readonly procRootIsOwn?: () => Promise<boolean>;
}

export interface KillEnvOptions {
  readonly procRoot?: string;
  readonly signal?: SignalFn;
  readonly protectedPids?: () => Promise<ReadonlySet<number>>;
  readonly matcher: ArgvMatcher;
  readonly extraReapers?: readonly string[];
}

/** Real defaults: /proc, process.kill, this process and its ancestors. */
export function createKillEnv(options: KillEnvOptions): KillEnv {
  const procRoot = options.procRoot ?? '/proc';
  return {
    procRoot,
    signal: options.signal ?? ((pid, signal) => void process.kill(pid, signal)),
    protectedPids: options.protectedPids ?? (() => selfAndAncestors('/proc', process.pid)),
    matcher: options.matcher,
    reapers: [...DEFAULT_REAPERS, ...(options.extraReapers ?? [])],
    // Only real signalling needs it; an injected signal function (fake trees) acts on procRoot itself.
    procRootIsOwn: options.signal === undefined ? () => procRootIsOwn(procRoot) : undefined,
  };
}

/** procRoot shows this process under its own pid with the same starttime as /proc/self does. */
export async function procRootIsOwn(procRoot: string, pid = process.pid): Promise<boolean> {
  const starttimeOf = async (path: string): Promise<number | null> => {
    try {
      const stat = parseStat(await readFile(path, 'utf8'));
      return stat.ok ? stat.value.starttime : null;
    } catch {
      return null;
    }
  };
  const [there, here] = await Promise.all([
    starttimeOf(join(procRoot, String(pid), 'stat')),
    starttimeOf('/proc/self/stat'),
  ]);
  return there !== null && there === here;
}

/** `pid` and every ancestor up to pid 1, following stat's ppid (field 4). Never rejects. */
async function selfAndAncestors(procRoot: string, pid: number): Promise<ReadonlySet<number>> {
  const pids = new Set<number>();
  let current = pid;
  // Bounded: a malformed tree with a ppid cycle must not loop forever.
  while (current > 0 && !pids.has(current) && pids.size < 4096) {
    pids.add(current);
    let text: string;
    try {
      text = await readFile(join(procRoot, String(current), 'stat'), 'utf8');
    } catch {
      break;
    }
    const stat = parseStat(text);
    if (!stat.ok) break;
    current = stat.value.ppid;
  }
  return pids;
}

export interface KillOptions {
  /**
   * Whether the process must still match the configured patterns. True for what the user
   * picked; false for its descendants (xdist workers, fixture servers), which never matched
   * and are covered by the identity check alone.
   */
  readonly requireMatch?: boolean;
}

/**
 * Signal one process after re-reading its stat and cmdline. Refuses pid ≤ 1, protected pids,
 * reapers and (by default) processes that no longer match; a changed starttime or cmdline is
 * `pidReused`. Never rejects: every failure is an outcome.
 */
export async function killProcess(
  target: KillTarget,
  signal: KillSignal,
  env: KillEnv,
  options: KillOptions = {},
): Promise<KillOutcome> {
  if (!Number.isInteger(target.pid) || target.pid <= 1) {
    return { kind: 'refused', code: 'init', reason: `PID ${target.pid} is init or not a process` };
  }
  let protectedPids: ReadonlySet<number>;
  try {
    protectedPids = await env.protectedPids();
  } catch {
    return {
      kind: 'refused',
      code: 'ancestorsUnknown',
      reason: 'cannot determine this process and its ancestors',
    };
  }
  if (env.procRootIsOwn !== undefined && !(await env.procRootIsOwn().catch(() => false))) {
    return {
      kind: 'refused',
      code: 'foreignNamespace',
      reason: `${env.procRoot} belongs to another PID namespace: PID ${target.pid} there is not PID ${target.pid} here`,
    };
  }
  if (protectedPids.has(target.pid)) {
    return {
      kind: 'refused',
      code: 'ownProcess',
      reason: `PID ${target.pid} is this editor's own process or one of its ancestors`,
    };
  }

  const now = await readProcessIdentity(env.procRoot, target.pid);
  switch (now.kind) {
    case 'vanished':
      return { kind: 'alreadyGone' };
    case 'denied':
      return {
        kind: 'refused',
        code: 'unreadable',
        reason: `cannot read /proc/${target.pid} to verify it (permission denied)`,
      };
    case 'malformed':
      return {
        kind: 'refused',
        code: 'unverifiable',
        reason: `cannot verify PID ${target.pid}: ${now.error}`,
      };
  }
  if (now.starttime !== target.starttime) return { kind: 'pidReused' };
  // A zombie has exited already (its cmdline reads empty); only its parent can reap it.
  if (now.state === 'Z' || now.state === 'X') return { kind: 'alreadyGone' };
  if (!sameArgv(now.argv, target.argv)) return { kind: 'pidReused' };
  if (env.reapers.includes(now.comm)) {
    return {
      kind: 'refused',
      code: 'reaper',
      reason: `PID ${target.pid} is a reaper (${now.comm}); killing it would take its children along`,
    };
  }
  if ((options.requireMatch ?? true) && env.matcher.match(now.argv) === null) {
    return {
      kind: 'refused',
      code: 'noMatch',
      reason: `PID ${target.pid} no longer matches the configured patterns`,
    };
  }

  try {
    env.signal(target.pid, signal);
    return { kind: 'killed', signal };
  } catch (err) {
    const code = (err as { code?: unknown } | null)?.code;
    if (code === 'ESRCH') return { kind: 'alreadyGone' };
    if (code === 'EPERM')
      return { kind: 'denied', command: await deniedCommand(env.procRoot, target.pid, signal) };
    return {
      kind: 'refused',
      code: 'signalFailed',
      reason: `kill(${target.pid}, ${signal}) failed: ${String(code ?? err)}`,
    };
  }
}

/**
 * Signal a root and its descendants (listed beforehand, see listDescendants), root first so it
 * cannot start new workers; each is re-verified right before its own signal. The root must
 * still match the patterns; descendants are verified by identity.
 */
export async function killTree(
  root: KillTarget,
  descendants: readonly KillTarget[],
  signal: KillSignal,
  env: KillEnv,
): Promise<TargetOutcome[]> {
  const results: TargetOutcome[] = [{ target: root, outcome: await killProcess(root, signal, env) }];
  const rootOutcome = results[0]!.outcome.kind;
  // A root that was reused or refused says the listing is not trustworthy: signal nothing else.
  if (rootOutcome === 'pidReused' || rootOutcome === 'refused') return results;
  for (const target of descendants) {
    results.push({ target, outcome: await killProcess(target, signal, env, { requireMatch: false }) });
  }
  return results;
}

export interface GraceOptions {
  readonly graceMs: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly nowMs?: () => number;
}

/** killGraceSeconds default: time SIGTERM gets before SIGKILL is offered. */
export const DEFAULT_KILL_GRACE_SECONDS = 5;

/**
 * After SIGTERM: wait up to graceMs (returning early once all are gone), then return the
 * targets that still run with the same identity. Those, and only those, are what a confirmed
 * SIGKILL step may signal (killAll with 'SIGKILL' re-verifies each once more).
 */
export async function survivorsAfterGrace(
  targets: readonly KillTarget[],
  procRoot: string,
  options: GraceOptions,
): Promise<KillTarget[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const nowMs = options.nowMs ?? Date.now;
  const pollMs = options.pollMs ?? 100;
  const deadline = nowMs() + options.graceMs;
  let alive = await stillRunning(targets, procRoot);
  while (alive.length > 0 && nowMs() < deadline) {
    await sleep(Math.min(pollMs, Math.max(0, deadline - nowMs())));
    alive = await stillRunning(alive, procRoot);
  }
  return alive;
}

/** Signal each target in turn, each re-verified; descendants-style (identity only) when requireMatch is false. */
export async function killAll(
  targets: readonly KillTarget[],
  signal: KillSignal,
  env: KillEnv,
  options: KillOptions = {},
): Promise<TargetOutcome[]> {
  const results: TargetOutcome[] = [];
  for (const target of targets)
    results.push({ target, outcome: await killProcess(target, signal, env, options) });
  return results;
}

async function stillRunning(targets: readonly KillTarget[], procRoot: string): Promise<KillTarget[]> {
  const alive: KillTarget[] = [];
  for (const target of targets) {
    const now = await readProcessIdentity(procRoot, target.pid);
    // Denied/malformed: cannot tell, keep it so the user sees it rather than a false "gone".
    if (now.kind === 'vanished') continue;
    if (now.kind === 'ok' && (now.starttime !== target.starttime || now.state === 'Z' || now.state === 'X'))
      continue;
    alive.push(target);
  }
  return alive;
}

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, i) => arg === b[i]);
}

async function deniedCommand(procRoot: string, pid: number, signal: KillSignal): Promise<string> {
  const dir = join(procRoot, String(pid));
  const [status, cgroup] = await Promise.all([
    readFile(join(dir, 'status'), 'utf8').catch(() => null),
    readFile(join(dir, 'cgroup'), 'utf8').catch(() => null),
  ]);
  const parsed = status === null ? null : parseStatus(status);
  const nspid = parsed?.ok ? parsed.value.nspid : null;
  return suggestKillCommand(pid, signal, cgroup === null ? null : parseCgroup(cgroup), nspid);
}
