// The one destructive command, as the user sees it for one row: a modal whose title names what
// runs, warns first when its launcher is still alive, and says exactly what each button signals
// (the whole run by default, or the root only); then the confirmed SIGKILL step for survivors.
// A calm outcome is said where the eye already is: the row turns "terminating…" and the live
// notification says what was sent (no toast of its own); a refusal or a denial gets a message.
// The sequence itself is src/proc/killFlow.ts; the protocol is src/proc/kill.ts.
import * as vscode from 'vscode';
import type { KillSignal, KillTarget } from '../proc/kill';
import { deniedCommands, outcomes, runKill } from '../proc/killFlow';
import type { KillBackend, KillPlan, KillResult, KillScope, KillUi } from '../proc/killFlow';
import { identityKey } from '../proc/types';
import { forMessage } from '../watchdog/sanitize';
import type { ProcessRow } from '../watchdog/viewModel';
import {
  confirmDetail,
  confirmTitle,
  listTargets,
  outcomeMessage,
  rootOnlyButton,
  runButton,
  terminateButton,
  treeSummary,
} from './killText';

export type { KillOutcome } from '../proc/kill';

export interface KillDeps {
  readonly backend: KillBackend;
  /** Tests answer without a modal; the UI asks. */
  readonly confirm?: (plan: KillPlan) => Promise<KillScope | undefined>;
  /** Told about each sent signal, so the recovery says "killed from Proc Watchdog". */
  readonly onKilled: (key: string) => void;
  /** Signals were sent to these keys: the rows say "terminating…" (declined SIGKILL: cleared). */
  readonly onTerminating: (keys: readonly string[], signal: KillSignal | null) => void;
  /** Show outcomes and offer SIGKILL after the grace period; false in tests. */
  readonly interactive: boolean;
}

async function confirmKillModal(row: ProcessRow, plan: KillPlan): Promise<KillScope | undefined> {
  const n = plan.descendants.length;
  // The first button is the modal's default: the whole run, since a root-only kill leaves its
  // workers running as orphans (issue 11).
  const buttons = n > 0 ? [runButton(n + 1), rootOnlyButton()] : [terminateButton()];
  const choice = await vscode.window.showWarningMessage(
    confirmTitle(row, plan),
    { modal: true, detail: confirmDetail(row, plan) },
    ...buttons,
  );
  if (choice === undefined) return undefined;
  return n > 0 && choice === buttons[0] ? 'tree' : 'process';
}

/**
 * A signal that was sent is said by the row and the live notification; a message is left for
 * nothing signalled (already gone: information) and for what went wrong (warning).
 */
export function reportOutcomes(rows: readonly ProcessRow[], result: KillResult, signal: KillSignal): void {
  const results = outcomes(result);
  const calm = results.every((r) => r.outcome.kind === 'killed' || r.outcome.kind === 'alreadyGone');
  const sent = results.some((r) => r.outcome.kind === 'killed');
  if (calm && sent) return;
  const first = rows[0];
  const message =
    result.scope === 'process' && first !== undefined
      ? outcomeMessage(first, result.outcome)
      : treeSummary(rows, results, signal);
  const commands = deniedCommands(results);
  if (calm) {
    void vscode.window.showInformationMessage(message);
    return;
  }
  if (commands.length === 0) {
    void vscode.window.showWarningMessage(message);
    return;
  }
  const copy = vscode.l10n.t('Copy Command');
  void vscode.window.showWarningMessage(message, copy).then((c) => {
    if (c === copy) void vscode.env.clipboard.writeText(commands.join('\n'));
  });
}

export function signalledKeys(result: KillResult): string[] {
  return outcomes(result)
    .filter((r) => r.outcome.kind === 'killed')
    .map((r) => identityKey(r.target));
}

export async function confirmSigkill(
  rows: readonly ProcessRow[],
  survivors: readonly KillTarget[],
  graceSeconds: number,
): Promise<boolean> {
  const kill = vscode.l10n.t('Kill (SIGKILL)');
  const row = rows[0];
  const alone = rows.length === 1 && survivors.length === 1 && survivors[0]?.pid === row?.pid;
  const choice = await vscode.window.showWarningMessage(
    alone && row !== undefined
      ? vscode.l10n.t('PID {0} is still running {1} s after SIGTERM. Send SIGKILL?', row.pid, graceSeconds)
      : vscode.l10n.t(
          '{0} processes are still running {1} s after SIGTERM. Send SIGKILL to them?',
          survivors.length,
          graceSeconds,
        ),
    {
      modal: true,
      detail:
        alone && row !== undefined
          ? forMessage(row.commandLine, { maxChars: 400, elide: 'middle' })
          : [
              ...listTargets(survivors),
              '',
              vscode.l10n.t('Each is checked to be the same process right before SIGKILL.'),
            ].join('\n'),
    },
    kill,
  );
  return choice === kill;
}

/** Confirm, kill (one process or its run), report. 'cancelled' when the user said no. */
export async function killRow(row: ProcessRow, deps: KillDeps): Promise<KillResult | 'cancelled'> {
  const ui: KillUi = {
    confirm: deps.confirm ?? ((plan) => confirmKillModal(row, plan)),
    confirmSigkill: async (survivors, graceSeconds) => {
      const yes = await confirmSigkill([row], survivors, graceSeconds);
      if (!yes) deps.onTerminating(survivors.map(identityKey), null);
      return yes;
    },
    report: (result, signal) => {
      const keys = signalledKeys(result);
      if (keys.length > 0) deps.onTerminating(keys, signal);
      if (deps.interactive) reportOutcomes([row], result, signal);
    },
  };
  const target: KillTarget = { pid: row.pid, starttime: row.starttime, argv: row.sample.argv };
  return runKill(target, { backend: deps.backend, ui, onKilled: deps.onKilled, escalate: deps.interactive });
}
