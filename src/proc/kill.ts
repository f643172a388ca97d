// The only write: signal a process known by identity, re-verified right before each signal.
// I/O seams (proc root, signal function, protected pids) are parameters so the protocol runs
// unchanged on fake trees and on real processes. The sequence around it (confirm, grace period,
// SIGKILL step) is killFlow.ts; the guards (own process, namespace, EPERM hint) killGuards.ts.
import type { ArgvMatcher, ProcIdentity } from './types';
import { DEFAULT_REAPERS } from './orphan';
import { deniedCommand, procRootIsOwn, selfAndAncestors } from './killGuards';
import type { KillSignal } from './killHint';
import { readProcessIdentity, readProcessIdentitySync } from './readProcess';
import type { ProcessIdentityRead } from './readProcess';

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

export interface KillOptions {
  /**
   * Whether the process must still match the configured patterns. True for what the user
   * picked; false for its descendants (xdist workers, fixture servers), which never matched
   * and are covered by the identity check alone.
   */
  readonly requireMatch?: boolean;
}

/**
 * What a fresh read says about the target, or null when it is still the process the user
 * picked (same starttime and command line, not a zombie). Pure.
 */
function identityVerdict(target: KillTarget, now: ProcessIdentityRead): KillOutcome | null {
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
  return null;
}

/**
 * Signal one process after re-reading its stat and cmdline. Refuses pid ≤ 1, protected pids,
 * reapers and (by default) processes that no longer match; a changed starttime or cmdline is
 * `pidReused`. Never rejects: every failure is an outcome.
 *
 * Everything that takes time (the guards, the pattern match on a command line of up to
 * megabytes) runs on a first read; then one last synchronous re-read of stat and cmdline is
 * compared with it and the signal follows in the same turn of the event loop, so nothing
 * runs between the final check and kill() (issue 8).
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

  const first = await readProcessIdentity(env.procRoot, target.pid);
  const changed = identityVerdict(target, first);
  if (changed !== null || first.kind !== 'ok') return changed ?? { kind: 'alreadyGone' };
  if (env.reapers.includes(first.comm)) {
    return {
      kind: 'refused',
      code: 'reaper',
      reason: `PID ${target.pid} is a reaper (${first.comm}); killing it would take its children along`,
    };
  }
  if ((options.requireMatch ?? true) && env.matcher.match(first.argv) === null) {
    return {
      kind: 'refused',
      code: 'noMatch',
      reason: `PID ${target.pid} no longer matches the configured patterns`,
    };
  }

  // The final identity re-read and the signal, with no await in between.
  const last = identityVerdict(target, readProcessIdentitySync(env.procRoot, target.pid));
  if (last !== null) return last;
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

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((arg, i) => arg === b[i]);
}
