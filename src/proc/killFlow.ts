// The kill sequence, once, for both front ends (the editor's modals in src/vscode/killCommand.ts,
// the terminal's prompts in src/cli/kill.ts): list descendants, ask, signal (one process or
// the tree, each re-verified), report; then wait for the grace period and, for the survivors
// only, ask again and SIGKILL. The questions, the messages, the clock and the sleep are
// injected; the signalling is kill.ts's protocol. Two front ends with a sequence each had
// drifted apart once already (issue 8).
import { listDescendants } from './descendants';
import type { DescendantsResult } from './descendants';
import { killProcess, killTree } from './kill';
import type { KillEnv, KillOutcome, KillSignal, KillTarget, TargetOutcome } from './kill';
import { survivorsAfterGrace } from './killGrace';
import type { GraceClock } from './killGrace';
import { continueStopped, listRunMembers } from './runTargets';
import { identityKey } from './types';

/** What the sequence needs from the kill protocol; created per kill with the current settings. */
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
  survivors(targets: readonly KillTarget[], graceSeconds?: number): Promise<KillTarget[]>;
  /** SIGCONT (identity re-checked) to those of `targets` that are stopped (state T/t). */
  continueStopped(targets: readonly KillTarget[]): Promise<TargetOutcome[]>;
}

export function createKillBackend(env: KillEnv, graceSeconds: number, clock: GraceClock = {}): KillBackend {
  return {
    graceSeconds,
    listDescendants: (root) => listDescendants(env.procRoot, root),
    killOne: (target, signal, requireMatch = true) => killProcess(target, signal, env, { requireMatch }),
    killTree: (root, descendants, signal) => killTree(root, descendants, signal, env),
    survivors: (targets, seconds = graceSeconds) =>
      survivorsAfterGrace(targets, env.procRoot, { ...clock, graceMs: seconds * 1000 }),
    continueStopped: (targets) => continueStopped(targets, env),
  };
}

/**
 * The same backend, listing a run as "Kill the run" means it (src/proc/runTargets.ts): the
 * descendants, and the members of its session when that session lost its leader. The editor
 * and the CLI's `kill --run` share it.
 */
export function withRunMembers(backend: KillBackend, env: KillEnv): KillBackend {
  return {
    ...backend,
    listDescendants: async (target) =>
      listRunMembers(env.procRoot, target, await env.protectedPids().catch(() => new Set<number>())),
  };
}

/** What the confirm step offers: the process alone, or with the descendants listed now. */
export interface KillPlan {
  readonly target: KillTarget;
  /** Empty when it has none, when they could not be listed (listError), or were not asked for. */
  readonly descendants: readonly KillTarget[];
  readonly listError: string | null;
}

export type KillScope = 'process' | 'tree';

export type KillResult =
  | { readonly scope: 'process'; readonly target: KillTarget; readonly outcome: KillOutcome }
  | { readonly scope: 'tree'; readonly results: readonly TargetOutcome[] };

/** What happened after the first signal's grace period. */
export type AfterGrace =
  /** Nothing was signalled, or survivors were not watched. */
  | { readonly kind: 'none' }
  /** Every signalled process exited within the grace period. */
  | { readonly kind: 'gone' }
  /** Some still run, and SIGKILL was not confirmed (or the first signal was SIGKILL already). */
  | { readonly kind: 'survivors'; readonly survivors: readonly KillTarget[] }
  /** The survivors got SIGKILL, each re-verified. */
  | { readonly kind: 'escalated'; readonly survivors: readonly KillTarget[]; readonly result: KillResult };

export interface KillUi {
  /** Ask which scope to signal, once for every planned run; undefined = cancelled. */
  confirm(plans: readonly KillPlan[]): Promise<KillScope | undefined>;
  /** After the grace period: SIGKILL these (each re-verified)? */
  confirmSigkill(survivors: readonly KillTarget[], graceSeconds: number): Promise<boolean>;
  report(result: KillResult, signal: KillSignal): void;
}

export interface KillFlowOptions {
  readonly backend: KillBackend;
  readonly ui: KillUi;
  /** A signal was sent to this identity key: its disappearance recovers as 'killed'. */
  readonly onKilled: (key: string) => void;
  /** Wait for the grace period and offer SIGKILL for the survivors (the interactive paths). */
  readonly escalate: boolean;
  /** The first signal (default SIGTERM); after a first SIGKILL nothing is offered. */
  readonly signal?: KillSignal;
  /** List the descendants before asking (default true; the CLI lists them only for --tree). */
  readonly listDescendants?: boolean;
}

export interface KillRun {
  /** The first signal's result. */
  readonly result: KillResult;
  /**
   * The grace period and the SIGKILL step, already running: the editor lets it run in the
   * background (the command returns once SIGTERM was sent), the terminal awaits it.
   */
  readonly after: Promise<AfterGrace>;
}

const NOTHING_AFTER: Promise<AfterGrace> = Promise.resolve({ kind: 'none' });

/** Descendants listed right before asking, so the question can say how many will be signalled. */
async function planKill(
  backend: KillBackend,
  target: KillTarget,
  withDescendants = true,
): Promise<KillPlan | KillOutcome> {
  if (!withDescendants) return { target, descendants: [], listError: null };
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

const isPlan = (p: KillPlan | KillOutcome): p is KillPlan => 'target' in p;
const sameIdentity = (a: KillTarget, b: KillTarget): boolean =>
  a.pid === b.pid && a.starttime === b.starttime;

/** A target that is a descendant of another planned run is signalled with that run, once. */
function withoutNested(plans: readonly KillPlan[]): KillPlan[] {
  const inRuns = new Set(plans.flatMap((p) => p.descendants.map(identityKey)));
  return plans.filter((p) => !inRuns.has(identityKey(p.target)));
}

/** One result: a single process, or every target's outcome in order (a tree, several runs). */
function resultOf(results: readonly TargetOutcome[], single: boolean): KillResult {
  return single && results.length === 1 ? { scope: 'process', ...results[0]! } : { scope: 'tree', results };
}

/**
 * Plan every target (one from the CLI or a tree row, several from the editor's multi-select),
 * confirm once, signal each (SIGCONT to stopped ones after SIGTERM), report, then (escalate)
 * the grace period and one SIGKILL step for every survivor.
 */
export async function runKill(
  targets: readonly KillTarget[],
  opts: KillFlowOptions,
): Promise<KillRun | 'cancelled'> {
  const first = opts.signal ?? 'SIGTERM';
  const planned = await Promise.all(
    targets.map((t) => planKill(opts.backend, t, opts.listDescendants ?? true)),
  );
  const plans = withoutNested(planned.filter(isPlan));
  if (plans.length === 0) {
    // Every target was gone (or reused) before the question: say so, ask nothing.
    const gone = targets.map((target, i) => ({ target, outcome: planned[i] as KillOutcome }));
    const result = resultOf(gone, targets.length === 1);
    opts.ui.report(result, first);
    return { result, after: NOTHING_AFTER };
  }
  const scope = await opts.ui.confirm(plans);
  if (scope === undefined) return 'cancelled';
  const result = await signal(plans, scope, first, opts);
  opts.ui.report(result, first);
  // A stopped process acts on SIGTERM only once continued (issue 11): SIGCONT it, each re-checked.
  if (first === 'SIGTERM') {
    const resumed = await opts.backend.continueStopped(signalledTargets(result));
    if (resumed.length > 0) opts.ui.report({ scope: 'tree', results: resumed }, 'SIGCONT');
  }
  const roots = plans.map((p) => p.target);
  const after = opts.escalate ? afterGrace(roots, result, first, opts) : NOTHING_AFTER;
  // A failure in the background step must never surface as an unhandled rejection.
  return { result, after: after.catch((): AfterGrace => ({ kind: 'none' })) };
}

/** The SIGKILL step: only processes that got the first signal and still run, each re-verified. */
async function afterGrace(
  roots: readonly KillTarget[],
  first: KillResult,
  firstSignal: KillSignal,
  opts: KillFlowOptions,
): Promise<AfterGrace> {
  const signalled = signalledTargets(first);
  if (signalled.length === 0) return { kind: 'none' };
  const survivors = await opts.backend.survivors(signalled);
  if (survivors.length === 0) return { kind: 'gone' };
  if (firstSignal === 'SIGKILL') return { kind: 'survivors', survivors };
  if (!(await opts.ui.confirmSigkill(survivors, opts.backend.graceSeconds)))
    return { kind: 'survivors', survivors };
  const results: TargetOutcome[] = [];
  for (const target of survivors) {
    // A root must still match the patterns; descendants are verified by identity.
    const isRoot = roots.some((r) => sameIdentity(r, target));
    results.push({ target, outcome: await opts.backend.killOne(target, 'SIGKILL', isRoot) });
  }
  for (const r of results) if (r.outcome.kind === 'killed') opts.onKilled(identityKey(r.target));
  const result = resultOf(results, first.scope === 'process');
  opts.ui.report(result, 'SIGKILL');
  return { kind: 'escalated', survivors, result };
}

async function signal(
  plans: readonly KillPlan[],
  scope: KillScope,
  sig: KillSignal,
  opts: KillFlowOptions,
): Promise<KillResult> {
  const results: TargetOutcome[] = [];
  for (const plan of plans) {
    if (scope === 'tree' && plan.descendants.length > 0)
      results.push(...(await opts.backend.killTree(plan.target, plan.descendants, sig)));
    else results.push({ target: plan.target, outcome: await opts.backend.killOne(plan.target, sig) });
  }
  const single = plans.length === 1 && (scope === 'process' || plans[0]!.descendants.length === 0);
  const result = resultOf(results, single);
  for (const r of outcomes(result)) if (r.outcome.kind === 'killed') opts.onKilled(identityKey(r.target));
  return result;
}

export function outcomes(result: KillResult): readonly TargetOutcome[] {
  return result.scope === 'tree' ? result.results : [{ target: result.target, outcome: result.outcome }];
}

/** The outcome for the process the user named (the root of a tree). */
export function rootOutcome(result: KillResult): KillOutcome {
  return result.scope === 'process'
    ? result.outcome
    : (result.results[0]?.outcome ?? { kind: 'alreadyGone' });
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
