// The one destructive command. Confirm in a modal that names PID, age, command line and the
// signal; re-verify identity right before signalling; map every outcome to one message.
// The engine is a parameter: the composition root passes the full protocol of src/proc/kill.ts
// (identity re-read, reapers, this host and its ancestors, EPERM hints).
import * as vscode from 'vscode';
import { formatAge } from '../watchdog/format';
import type { ProcessRow } from './viewModel';

export interface KillTargetIdentity {
  readonly pid: number;
  readonly starttime: number;
  /** The command line the user was shown: a different one now means a different process. */
  readonly argv: readonly string[];
}

export type KillOutcome =
  | { readonly kind: 'killed'; readonly signal: 'SIGTERM' | 'SIGKILL' }
  | { readonly kind: 'alreadyGone' }
  | { readonly kind: 'pidReused' }
  | { readonly kind: 'denied'; readonly command: string }
  | { readonly kind: 'refused'; readonly reason: string };

export type KillEngine = (target: KillTargetIdentity) => Promise<KillOutcome>;

/** SIGKILL as a second, separately confirmed step (src/proc/kill.ts createKillEscalation). */
export interface KillEscalation {
  readonly graceSeconds: number;
  /** Waits up to graceSeconds; true when the same process (identity) still runs. */
  survives(target: KillTargetIdentity): Promise<boolean>;
  /** SIGKILL after re-checking the identity. */
  kill(target: KillTargetIdentity): Promise<KillOutcome>;
}

export interface KillDeps {
  readonly engine: KillEngine;
  /** Offer SIGKILL when SIGTERM did not end the process within the grace period. */
  readonly escalation?: KillEscalation;
  /** Tests pass `async () => true`; the UI asks with a modal. */
  readonly confirm?: (row: ProcessRow) => Promise<boolean>;
  /** Told about a sent signal, so the recovery says "killed from Proc Watchdog". */
  readonly onKilled: (key: string) => void;
  /** Show the outcome; false in tests that only look at the returned value. */
  readonly report?: boolean;
}

export async function confirmKillModal(row: ProcessRow): Promise<boolean> {
  const terminate = vscode.l10n.t('Terminate (SIGTERM)');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Terminate PID {0}?', row.pid),
    {
      modal: true,
      detail: vscode.l10n.t(
        '{0}\n\nRunning for {1}. SIGTERM will be sent to PID {2} only, after checking that it is still the same process.',
        row.commandLine,
        formatAge(row.ageSeconds),
        row.pid,
      ),
    },
    terminate,
  );
  return choice === terminate;
}

export function outcomeMessage(row: ProcessRow, outcome: KillOutcome): string {
  switch (outcome.kind) {
    case 'killed':
      return vscode.l10n.t('Sent {0} to PID {1} ({2}).', outcome.signal, row.pid, row.label);
    case 'alreadyGone':
      return vscode.l10n.t('PID {0} had already exited; nothing was signalled.', row.pid);
    case 'pidReused':
      return vscode.l10n.t('PID {0} now belongs to a different process; nothing was signalled.', row.pid);
    case 'denied':
      return vscode.l10n.t(
        'Not permitted to signal PID {0}. Run this instead: {1}',
        row.pid,
        outcome.command,
      );
    case 'refused':
      return vscode.l10n.t('Refused to signal PID {0}: {1}', row.pid, outcome.reason);
  }
}

/** Confirm, kill, report. Returns 'cancelled' when the user said no. */
export async function killRow(row: ProcessRow, deps: KillDeps): Promise<KillOutcome | 'cancelled'> {
  const confirmed = await (deps.confirm ?? confirmKillModal)(row);
  if (!confirmed) return 'cancelled';
  const target = { pid: row.pid, starttime: row.starttime, argv: row.sample.argv };
  const outcome = await deps.engine(target);
  if (outcome.kind === 'killed') deps.onKilled(row.key);
  reportOutcome(row, outcome, deps);
  if (outcome.kind === 'killed' && deps.escalation !== undefined) {
    void offerSigkill(row, target, deps.escalation, deps);
  }
  return outcome;
}

/** After SIGTERM: if the same process still runs after the grace period, ask before SIGKILL. */
async function offerSigkill(
  row: ProcessRow,
  target: KillTargetIdentity,
  escalation: KillEscalation,
  deps: KillDeps,
): Promise<void> {
  if (!(await escalation.survives(target))) return;
  const kill = vscode.l10n.t('Kill (SIGKILL)');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'PID {0} is still running {1} s after SIGTERM. Send SIGKILL?',
      row.pid,
      escalation.graceSeconds,
    ),
    { modal: true, detail: row.commandLine },
    kill,
  );
  if (choice !== kill) return;
  const outcome = await escalation.kill(target);
  if (outcome.kind === 'killed') deps.onKilled(row.key);
  reportOutcome(row, outcome, deps);
}

function reportOutcome(row: ProcessRow, outcome: KillOutcome, deps: KillDeps): void {
  if (deps.report ?? true) {
    const message = outcomeMessage(row, outcome);
    if (outcome.kind === 'killed' || outcome.kind === 'alreadyGone')
      void vscode.window.showInformationMessage(message);
    else if (outcome.kind === 'denied') {
      const copy = vscode.l10n.t('Copy Command');
      void vscode.window.showWarningMessage(message, copy).then((c) => {
        if (c === copy) void vscode.env.clipboard.writeText(outcome.command);
      });
    } else void vscode.window.showWarningMessage(message);
  }
}
