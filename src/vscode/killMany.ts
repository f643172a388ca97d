// Several runs at once (the quick pick's multi-select, "All orphaned runs"): ONE modal lists them
// all; the rest is the one kill sequence (src/proc/killFlow.ts), as for a single row: each run
// signalled root first, each descendant re-verified, ONE SIGKILL offer for every survivor.
import * as vscode from 'vscode';
import type { KillPlan, KillResult, KillScope } from '../proc/killFlow';
import { identityKey } from '../proc/types';
import { forMessage } from '../watchdog/sanitize';
import type { ProcessRow } from '../watchdog/viewModel';
import { ageText } from './ageText';
import type { KillDeps } from './killCommand';
import { killRow, runForRows } from './killCommand';
import { launcherWarning, MAX_LISTED, rootOnlyButton } from './killText';
import { modal } from './messages';

interface Planned {
  readonly row: ProcessRow;
  readonly plan: KillPlan;
}

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
  const choice = await modal('warning', manyTitle(planned), { detail: manyDetail(planned) }, ...buttons);
  if (choice === undefined) return undefined;
  return choice === all ? 'tree' : 'process';
}

/** Several rows: one modal for all of them; a single row is killRow's modal. */
export async function killRows(
  rows: readonly ProcessRow[],
  deps: KillDeps,
): Promise<KillResult | 'cancelled'> {
  const only = rows[0];
  if (rows.length === 1 && only !== undefined) return killRow(only, deps);
  return runForRows(rows, deps, (plans) => {
    if (deps.confirm !== undefined && plans[0] !== undefined) return deps.confirm(plans[0]);
    // The engine dropped runs nested in another chosen run; pair each plan with its row.
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const planned = plans.flatMap((plan) => {
      const row = byKey.get(identityKey(plan.target));
      return row === undefined ? [] : [{ row, plan }];
    });
    return confirmMany(planned);
  });
}
