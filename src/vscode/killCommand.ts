// The one destructive command, as the user sees it: a modal that names PID, age, command line,
// container and exactly what will be signalled (the process alone, or with its N descendants),
// one message per outcome (one summary for a tree), and the confirmed SIGKILL step for the
// survivors. The sequence itself is killFlow.ts; the protocol is src/proc/kill.ts.
import * as vscode from 'vscode';
import type { KillOutcome, KillSignal, KillTarget, TargetOutcome } from '../proc/kill';
import { ageText } from './ageText';
import { deniedCommands, outcomes, runKill, summarize } from '../proc/killFlow';
import type { KillBackend, KillPlan, KillResult, KillScope, KillUi } from '../proc/killFlow';
import { displayCommand } from '../watchdog/viewModel';
import type { ProcessRow } from '../watchdog/viewModel';

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

/** How many pids a modal lists before "and N more". */
const MAX_LISTED = 8;

function pidList(targets: readonly KillTarget[]): string {
  const shown = targets.slice(0, MAX_LISTED).map((t) => String(t.pid));
  const rest = targets.length - shown.length;
  return rest > 0 ? vscode.l10n.t('{0} and {1} more', shown.join(', '), rest) : shown.join(', ');
}

export function treeButton(count: number): string {
  return count === 1
    ? vscode.l10n.t('Terminate with 1 descendant')
    : vscode.l10n.t('Terminate with {0} descendants', count);
}

/** The modal's detail: what runs, where, and exactly which pids each button signals. */
export function confirmDetail(row: ProcessRow, plan: KillPlan): string {
  const container = row.sample.containerId;
  const lines = [
    row.commandLine,
    '',
    vscode.l10n.t('PID {0}, running for {1}.', row.pid, ageText(row.ageSeconds)),
    container === null
      ? vscode.l10n.t('Container: none named in its cgroup.')
      : vscode.l10n.t('Container: {0}.', container.slice(0, 12)),
    '',
    vscode.l10n.t(
      '"Terminate (SIGTERM)" sends SIGTERM to PID {0} only, after checking that it is still the same process.',
      row.pid,
    ),
  ];
  const n = plan.descendants.length;
  if (n > 0) {
    lines.push(
      vscode.l10n.t(
        '"{0}" also sends SIGTERM to the processes it started (xdist workers, fixture subprocesses), each checked first: PIDs {1}.',
        treeButton(n),
        pidList(plan.descendants),
      ),
    );
    for (const d of plan.descendants.slice(0, MAX_LISTED))
      lines.push(`  ${d.pid}: ${displayCommand(d.argv)}`);
  } else if (plan.listError !== null) {
    lines.push(vscode.l10n.t('Its descendants could not be listed: {0}', plan.listError));
  } else {
    lines.push(vscode.l10n.t('It has no descendants.'));
  }
  return lines.join('\n');
}

export async function confirmKillModal(row: ProcessRow, plan: KillPlan): Promise<KillScope | undefined> {
  const terminate = vscode.l10n.t('Terminate (SIGTERM)');
  const withTree = plan.descendants.length > 0 ? treeButton(plan.descendants.length) : undefined;
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Terminate PID {0}?', row.pid),
    { modal: true, detail: confirmDetail(row, plan) },
    ...(withTree === undefined ? [terminate] : [terminate, withTree]),
  );
  if (choice === terminate) return 'process';
  if (choice !== undefined && choice === withTree) return 'tree';
  return undefined;
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
      return vscode.l10n.t('Refused to signal PID {0}: {1}', row.pid, refusalText(row.pid, outcome));
  }
}

/** The refusal in the UI's language; the English `reason` stays for the log and the CLI. */
function refusalText(pid: number, refusal: Extract<KillOutcome, { kind: 'refused' }>): string {
  switch (refusal.code) {
    case 'init':
      return vscode.l10n.t('PID {0} is init or not a process', pid);
    case 'ancestorsUnknown':
      return vscode.l10n.t("cannot determine this editor's own process and its ancestors");
    case 'foreignNamespace':
      return vscode.l10n.t(
        'the proc root belongs to another PID namespace, where PID {0} is a different process',
        pid,
      );
    case 'ownProcess':
      return vscode.l10n.t("PID {0} is this editor's own process or one of its ancestors", pid);
    case 'unreadable':
      return vscode.l10n.t('cannot read /proc/{0} to verify it (permission denied)', pid);
    case 'unverifiable':
      return vscode.l10n.t('cannot verify PID {0} ({1})', pid, refusal.reason);
    case 'reaper':
      return vscode.l10n.t('PID {0} is a reaper; killing it would take its children along', pid);
    case 'noMatch':
      return vscode.l10n.t('PID {0} no longer matches the configured patterns', pid);
    case 'signalFailed':
      return vscode.l10n.t('the signal failed ({0})', refusal.reason);
  }
}

/** One message for a whole tree: counts per outcome, the first refusal's reason. */
export function treeSummary(row: ProcessRow, results: readonly TargetOutcome[], signal: KillSignal): string {
  const c = summarize(results);
  const parts = [vscode.l10n.t('{0} signalled', c.killed)];
  if (c.alreadyGone > 0) parts.push(vscode.l10n.t('{0} already gone', c.alreadyGone));
  if (c.pidReused > 0) parts.push(vscode.l10n.t('{0} PID reused (left alone)', c.pidReused));
  if (c.denied > 0) parts.push(vscode.l10n.t('{0} not permitted', c.denied));
  const refused = results.find((r) => r.outcome.kind === 'refused');
  if (refused?.outcome.kind === 'refused')
    parts.push(
      vscode.l10n.t('{0} refused ({1})', c.refused, refusalText(refused.target.pid, refused.outcome)),
    );
  return vscode.l10n.t(
    '{0} to PID {1} ({2}) and its descendants: {3}.',
    signal,
    row.pid,
    row.label,
    parts.join(', '),
  );
}

function showResult(row: ProcessRow, result: KillResult, signal: KillSignal): void {
  const results = outcomes(result);
  const message =
    result.scope === 'tree' ? treeSummary(row, result.results, signal) : outcomeMessage(row, result.outcome);
  const commands = deniedCommands(results);
  const calm = results.every((r) => r.outcome.kind === 'killed' || r.outcome.kind === 'alreadyGone');
  if (commands.length > 0) {
    const copy = vscode.l10n.t('Copy Command');
    void vscode.window.showWarningMessage(message, copy).then((c) => {
      if (c === copy) void vscode.env.clipboard.writeText(commands.join('\n'));
    });
  } else if (calm) void vscode.window.showInformationMessage(message);
  else void vscode.window.showWarningMessage(message);
}

async function confirmSigkill(
  row: ProcessRow,
  survivors: readonly KillTarget[],
  graceSeconds: number,
): Promise<boolean> {
  const kill = vscode.l10n.t('Kill (SIGKILL)');
  const alone = survivors.length === 1 && survivors[0]!.pid === row.pid;
  const choice = await vscode.window.showWarningMessage(
    alone
      ? vscode.l10n.t('PID {0} is still running {1} s after SIGTERM. Send SIGKILL?', row.pid, graceSeconds)
      : vscode.l10n.t(
          '{0} processes of PID {1} are still running {2} s after SIGTERM. Send SIGKILL to them?',
          survivors.length,
          row.pid,
          graceSeconds,
        ),
    {
      modal: true,
      detail: alone
        ? row.commandLine
        : survivors.map((t) => `${t.pid}: ${displayCommand(t.argv)}`).join('\n') +
          '\n\n' +
          vscode.l10n.t('Each is checked to be the same process right before SIGKILL.'),
    },
    kill,
  );
  return choice === kill;
}

/** Confirm, kill (one process or the tree), report. 'cancelled' when the user said no. */
export async function killRow(row: ProcessRow, deps: KillDeps): Promise<KillResult | 'cancelled'> {
  const ui: KillUi = {
    confirm: deps.confirm ?? ((plan) => confirmKillModal(row, plan)),
    confirmSigkill: (survivors, graceSeconds) => confirmSigkill(row, survivors, graceSeconds),
    report: (result, signal) => {
      if (deps.interactive) showResult(row, result, signal);
    },
  };
  const target: KillTarget = { pid: row.pid, starttime: row.starttime, argv: row.sample.argv };
  return runKill(target, { backend: deps.backend, ui, onKilled: deps.onKilled, escalate: deps.interactive });
}
