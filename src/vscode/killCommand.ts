// The one destructive command, as the user sees it: a modal that names PID, age, command line,
// container and exactly what will be signalled (the process alone, or with its N descendants),
// one message per outcome (one summary for a tree), and the confirmed SIGKILL step for the
// survivors. The words are killText.ts; the sequence is src/proc/killFlow.ts (the CLI's too).
import * as vscode from 'vscode';
import type { KillSignal, KillTarget } from '../proc/kill';
import { deniedCommands, outcomes, runKill } from '../proc/killFlow';
import type { KillBackend, KillPlan, KillResult, KillScope, KillUi } from '../proc/killFlow';
import type { ProcessRow } from '../watchdog/viewModel';
import { confirmDetail, outcomeMessage, sigkillQuestion, treeButton, treeSummary } from './killText';
import { modal, notify } from './messages';

export type { KillOutcome } from '../proc/kill';

export interface KillDeps {
  readonly backend: KillBackend;
  /** Tests answer without a modal; the UI asks. */
  readonly confirm?: (plan: KillPlan) => Promise<KillScope | undefined>;
  /** Told about each sent signal, so the recovery says "killed from Proc Watchdog". */
  readonly onKilled: (key: string) => void;
  /** Show outcomes and offer SIGKILL after the grace period; false in tests. */
  readonly interactive: boolean;
}

async function confirmKillModal(row: ProcessRow, plan: KillPlan): Promise<KillScope | undefined> {
  const terminate = vscode.l10n.t('Terminate (SIGTERM)');
  const withTree = plan.descendants.length > 0 ? treeButton(plan.descendants.length, vscode.l10n) : undefined;
  const choice = await modal(
    'warning',
    vscode.l10n.t('Terminate PID {0}?', row.pid),
    { detail: confirmDetail(row, plan, vscode.l10n) },
    ...(withTree === undefined ? [terminate] : [terminate, withTree]),
  );
  if (choice === terminate) return 'process';
  if (choice !== undefined && choice === withTree) return 'tree';
  return undefined;
}

function showResult(row: ProcessRow, result: KillResult, signal: KillSignal): void {
  const results = outcomes(result);
  const message =
    result.scope === 'tree'
      ? treeSummary(row, result.results, signal, vscode.l10n)
      : outcomeMessage(row, result.outcome, vscode.l10n);
  const commands = deniedCommands(results);
  const calm = results.every((r) => r.outcome.kind === 'killed' || r.outcome.kind === 'alreadyGone');
  if (commands.length > 0) {
    const copy = vscode.l10n.t('Copy Command');
    void notify('warning', message, copy).then((c) => {
      if (c === copy) void vscode.env.clipboard.writeText(commands.join('\n'));
    });
  } else void notify(calm ? 'information' : 'warning', message);
}

async function confirmSigkill(
  row: ProcessRow,
  survivors: readonly KillTarget[],
  graceSeconds: number,
): Promise<boolean> {
  const kill = vscode.l10n.t('Kill (SIGKILL)');
  const { message, detail } = sigkillQuestion(row, survivors, graceSeconds, vscode.l10n);
  return (await modal('warning', message, { detail }, kill)) === kill;
}

/**
 * Confirm, kill (one process or the tree), report; the grace period and the SIGKILL offer run
 * on in the background. The first signal's result, or 'cancelled' when the user said no.
 */
export async function killRow(row: ProcessRow, deps: KillDeps): Promise<KillResult | 'cancelled'> {
  const ui: KillUi = {
    confirm: deps.confirm ?? ((plan) => confirmKillModal(row, plan)),
    confirmSigkill: (survivors, graceSeconds) => confirmSigkill(row, survivors, graceSeconds),
    report: (result, signal) => {
      if (deps.interactive) showResult(row, result, signal);
    },
  };
  const target: KillTarget = { pid: row.pid, starttime: row.starttime, argv: row.sample.argv };
  const run = await runKill(target, {
    backend: deps.backend,
    ui,
    onKilled: deps.onKilled,
    escalate: deps.interactive,
  });
  if (run === 'cancelled') return 'cancelled';
  void run.after; // the SIGKILL question comes later; runKill catches its failures
  return run.result;
}
