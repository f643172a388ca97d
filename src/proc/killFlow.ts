// The kill dialogue as a sequence, without `vscode`: list descendants, ask, signal (one process
// or the tree, each re-verified), then after the grace period ask again for SIGKILL of the
// survivors only. The questions and messages are injected (killCommand.ts shows modals; tests
// answer directly), the signalling is src/proc/kill.ts's protocol.
import { listDescendants } from './descendants';
import type { DescendantsResult } from './descendants';
import { createKillEnv, killProcess, killTree, survivorsAfterGrace } from './kill';
import type { KillEnvOptions, KillOutcome, KillSignal, KillTarget, TargetOutcome } from './kill';
import { identityKey } from './types';

/** What the UI needs from the kill protocol; created per kill with the current settings. */
export interface KillBackend {
  readonly graceSeconds: number;
  listDescendants(root: KillTarget): Promise<DescendantsResult>;
  /**
   * One process, re-verified. The root of a kill must still match the configured patterns
   * (requireMatch, default); descendants never matched and are verified by identity alone.
   */
  killOne(target: KillTarget, signal: KillSignal, requireMatch?: boolean): Promise<KillOutcome>;
  /** Root first (must still match), then each descendant re-verified by identity. */
  killTree(
    root: KillTarget,
    descendants: readonly KillTarget[],
    signal: KillSignal,
  ): Promise<TargetOutcome[]>;
  /** Waits up to graceSeconds; the targets still running with the same identity. */
  survivors(targets: readonly KillTarget[]): Promise<KillTarget[]>;
}

export function createKillBackend(options: KillEnvOptions, graceSeconds: number): KillBackend {
  const env = createKillEnv(options);
  return {
    graceSeconds,
    listDescendants: (root) => listDescendants(env.procRoot, root),
    killOne: (target, signal, requireMatch = true) => killProcess(target, signal, env, { requireMatch }),
    killTree: (root, descendants, signal) => killTree(root, descendants, signal, env),
    survivors: (targets) => survivorsAfterGrace(targets, env.procRoot, { graceMs: graceSeconds * 1000 }),
  };
}

/** What the confirm modal offers: the process alone, or with the descendants listed now. */
export interface KillPlan {
  readonly target: KillTarget;
  /** Empty when it has none, or when they could not be listed (see listError). */
  readonly descendants: readonly KillTarget[];
  readonly listError: string | null;
}

export type KillScope = 'process' | 'tree';

export type KillResult =
  | { readonly scope: 'process'; readonly target: KillTarget; readonly outcome: KillOutcome }
  | { readonly scope: 'tree'; readonly results: readonly TargetOutcome[] };

export interface KillUi {
  /** Ask which scope to signal; undefined = cancelled. */
  confirm(plan: KillPlan): Promise<KillScope | undefined>;
  /** After the grace period: SIGKILL these (each re-verified)? */
  confirmSigkill(survivors: readonly KillTarget[], graceSeconds: number): Promise<boolean>;
  report(result: KillResult, signal: KillSignal): void;
}

export interface KillFlowOptions {
  readonly backend: KillBackend;
  readonly ui: KillUi;
  /** A signal was sent to this identity key: its disappearance recovers as 'killed'. */
  readonly onKilled: (key: string) => void;
  /** Offer SIGKILL for survivors after the grace period (the interactive path). */
  readonly escalate: boolean;
}

/** Descendants listed right before asking, so the modal can say how many will be signalled. */
export async function planKill(backend: KillBackend, target: KillTarget): Promise<KillPlan | KillOutcome> {
  const listed = await backend.listDescendants(target);
  switch (listed.kind) {
    case 'ok':
      return { target, descendants: listed.descendants, listError: null };
    case 'vanished':
      return { kind: 'alreadyGone' };
    case 'pidReused':
      return { kind: 'pidReused' };
    case 'unreadable':
      return { target, descendants: [], listError: listed.error };
  }
}

/**
 * Plan, confirm, SIGTERM, report; then (escalate) wait for the grace period in the background
 * and offer SIGKILL for the survivors. Resolves with the SIGTERM result, or 'cancelled'.
 */
export async function runKill(target: KillTarget, opts: KillFlowOptions): Promise<KillResult | 'cancelled'> {
  const plan = await planKill(opts.backend, target);
  if (!('target' in plan)) {
    const result: KillResult = { scope: 'process', target, outcome: plan };
    opts.ui.report(result, 'SIGTERM');
    return result;
  }
  const scope = await opts.ui.confirm(plan);
  if (scope === undefined) return 'cancelled';
  const result = await signal(plan, scope, 'SIGTERM', opts);
  opts.ui.report(result, 'SIGTERM');
  // In the background: the command returns once SIGTERM was sent; the question comes later.
  if (opts.escalate) void escalate(plan.target, result, opts).catch(() => null);
  return result;
}

/** The SIGKILL step: only processes that got SIGTERM and still run, each re-verified again. */
export async function escalate(
  root: KillTarget,
  first: KillResult,
  opts: KillFlowOptions,
): Promise<KillResult | null> {
  const signalled = signalledTargets(first);
  if (signalled.length === 0) return null;
  const survivors = await opts.backend.survivors(signalled);
  if (survivors.length === 0) return null;
  if (!(await opts.ui.confirmSigkill(survivors, opts.backend.graceSeconds))) return null;
  const results: TargetOutcome[] = [];
  for (const target of survivors) {
    const isRoot = target.pid === root.pid && target.starttime === root.starttime;
    results.push({ target, outcome: await opts.backend.killOne(target, 'SIGKILL', isRoot) });
  }
  for (const r of results) if (r.outcome.kind === 'killed') opts.onKilled(identityKey(r.target));
  const result: KillResult =
    first.scope === 'process' && results.length === 1
      ? { scope: 'process', ...results[0]! }
      : { scope: 'tree', results };
  opts.ui.report(result, 'SIGKILL');
  return result;
}

async function signal(
  plan: KillPlan,
  scope: KillScope,
  sig: KillSignal,
  opts: KillFlowOptions,
): Promise<KillResult> {
  const result: KillResult =
    scope === 'tree' && plan.descendants.length > 0
      ? { scope: 'tree', results: await opts.backend.killTree(plan.target, plan.descendants, sig) }
      : { scope: 'process', target: plan.target, outcome: await opts.backend.killOne(plan.target, sig) };
  for (const r of outcomes(result)) if (r.outcome.kind === 'killed') opts.onKilled(identityKey(r.target));
  return result;
}

export function outcomes(result: KillResult): readonly TargetOutcome[] {
  return result.scope === 'tree' ? result.results : [{ target: result.target, outcome: result.outcome }];
}

function signalledTargets(result: KillResult): KillTarget[] {
  return outcomes(result)
    .filter((r) => r.outcome.kind === 'killed')
    .map((r) => r.target);
}

/** Counts per outcome kind, for the one summary message of a tree kill. */
export function summarize(results: readonly TargetOutcome[]): Record<KillOutcome['kind'], number> {
  const counts = { killed: 0, alreadyGone: 0, pidReused: 0, denied: 0, refused: 0 };
  for (const r of results) counts[r.outcome.kind]++;
  return counts;
}

/** The commands to run instead, one per denied process (deduplicated), for "Copy command". */
export function deniedCommands(results: readonly TargetOutcome[]): string[] {
  const commands = results.flatMap((r) => (r.outcome.kind === 'denied' ? [r.outcome.command] : []));
  return [...new Set(commands)];
}
