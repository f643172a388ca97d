// Several runs at once (the quick pick's multi-select, "All orphaned runs"): ONE modal lists them
// all, each run is signalled as the single-row kill would (root, then each descendant re-verified),
// and ONE SIGKILL offer covers every survivor after the grace period.
import * as vscode from 'vscode';
import type { KillSignal, KillTarget, TargetOutcome } from '../proc/kill';
import { planKill } from '../proc/killFlow';
import type { KillPlan, KillResult, KillScope } from '../proc/killFlow';
import { identityKey } from '../proc/types';
import { forMessage } from '../watchdog/sanitize';
import type { ProcessRow } from '../watchdog/viewModel';
import { ageText } from './ageText';
import type { KillDeps } from './killCommand';
import { confirmSigkill, killRow, reportOutcomes, signalledKeys } from './killCommand';
import { launcherWarning, MAX_LISTED, rootOnlyButton } from './killText';

interface Planned {
  readonly row: ProcessRow;
  readonly plan: KillPlan;
}

const targetOf = (row: ProcessRow): KillTarget => ({
  pid: row.pid,
  starttime: row.starttime,
  argv: row.sample.argv,
});

function manyTitle(planned: readonly Planned[]): string {
  const processes = planned.reduce((n, p) => n + 1 + p.plan.descendants.length, 0);
  return vscode.l10n.t('Terminate {0} runs ({1} processes)?', planned.length, processes);
}

function manyDetail(planned: readonly Planned[]): string {
  const warnings = planned.map((p) => launcherWarning(p.row)).filter((w) => w !== null);
  const lines = warnings.map((w) => `⚠ ${w}`);
  if (lines.length > 0) lines.push('');
  for (const { row, plan } of planned.slice(0, MAX_LISTED)) {
    const flags = row.orphaned ? vscode.l10n.t(', orphaned') : '';
    lines.push(`• ${forMessage(row.label)} (PID ${row.pid}, ${ageText(row.ageSeconds)}${flags})`);
    const n = plan.descendants.length;
    if (n > 0) lines.push(`   ${vscode.l10n.t('+ {0} processes it started', n)}`);
  }
  if (planned.length > MAX_LISTED) lines.push(vscode.l10n.t('…and {0} more', planned.length - MAX_LISTED));
  lines.push(
    '',
    vscode.l10n.t('Each process is checked to still be the same one right before it is signalled.'),
  );
  return lines.join('\n');
}

async function confirmMany(planned: readonly Planned[]): Promise<KillScope | undefined> {
  const all = vscode.l10n.t('Terminate {0} runs', planned.length);
  const withDescendants = planned.some((p) => p.plan.descendants.length > 0);
  const buttons = withDescendants ? [all, rootOnlyButton()] : [all];
  const choice = await vscode.window.showWarningMessage(
    manyTitle(planned),
    { modal: true, detail: manyDetail(planned) },
    ...buttons,
  );
  if (choice === undefined) return undefined;
  return choice === all ? 'tree' : 'process';
}

/** A row that is itself a descendant of another chosen run is signalled with that run. */
function withoutNested(planned: readonly Planned[]): Planned[] {
  const inRuns = new Set(planned.flatMap((p) => p.plan.descendants.map(identityKey)));
  return planned.filter((p) => !inRuns.has(p.row.key));
}

async function signalAll(
  planned: readonly Planned[],
  scope: KillScope,
  deps: KillDeps,
): Promise<TargetOutcome[]> {
  const results: TargetOutcome[] = [];
  for (const { plan } of planned) {
    if (scope === 'tree' && plan.descendants.length > 0)
      results.push(...(await deps.backend.killTree(plan.target, plan.descendants, 'SIGTERM')));
    else results.push({ target: plan.target, outcome: await deps.backend.killOne(plan.target, 'SIGTERM') });
  }
  for (const r of results) if (r.outcome.kind === 'killed') deps.onKilled(identityKey(r.target));
  return results;
}

function report(rows: readonly ProcessRow[], result: KillResult, signal: KillSignal, deps: KillDeps): void {
  const keys = signalledKeys(result);
  if (keys.length > 0) deps.onTerminating(keys, signal);
  if (deps.interactive) reportOutcomes(rows, result, signal);
}

/** After the grace period: one offer for every process that got SIGTERM and still runs. */
async function escalateAll(rows: readonly ProcessRow[], first: KillResult, deps: KillDeps): Promise<void> {
  const signalled = first.scope === 'tree' ? first.results.filter((r) => r.outcome.kind === 'killed') : [];
  const survivors = await deps.backend.survivors(signalled.map((r) => r.target));
  if (survivors.length === 0) return;
  if (!(await confirmSigkill(rows, survivors, deps.backend.graceSeconds))) {
    deps.onTerminating(survivors.map(identityKey), null);
    return;
  }
  const roots = new Set(rows.map((r) => r.key));
  const results: TargetOutcome[] = [];
  for (const target of survivors)
    results.push({
      target,
      outcome: await deps.backend.killOne(target, 'SIGKILL', roots.has(identityKey(target))),
    });
  for (const r of results) if (r.outcome.kind === 'killed') deps.onKilled(identityKey(r.target));
  report(rows, { scope: 'tree', results }, 'SIGKILL', deps);
}

/** Plan every run, ask once, signal each, report once; the SIGKILL offer follows in the background. */
export async function killRows(
  rows: readonly ProcessRow[],
  deps: KillDeps,
): Promise<KillResult | 'cancelled'> {
  const only = rows[0];
  if (rows.length === 1 && only !== undefined) return killRow(only, deps);
  const plans = await Promise.all(
    rows.map(async (row) => ({ row, plan: await planKill(deps.backend, targetOf(row)) })),
  );
  const planned = withoutNested(
    plans.flatMap((p) => ('target' in p.plan ? [{ row: p.row, plan: p.plan }] : [])),
  );
  const gone = plans.filter((p) => !('target' in p.plan));
  if (planned.length === 0) {
    const results = gone.map((p) => ({ target: targetOf(p.row), outcome: { kind: 'alreadyGone' as const } }));
    const result: KillResult = { scope: 'tree', results };
    report(rows, result, 'SIGTERM', deps);
    return result;
  }
  const scope = await (deps.confirm ? deps.confirm(planned[0]!.plan) : confirmMany(planned));
  if (scope === undefined) return 'cancelled';
  const result: KillResult = { scope: 'tree', results: await signalAll(planned, scope, deps) };
  report(
    planned.map((p) => p.row),
    result,
    'SIGTERM',
    deps,
  );
  if (deps.interactive)
    void escalateAll(
      planned.map((p) => p.row),
      result,
      deps,
    ).catch(() => null);
  return result;
}
