// The words of the kill dialogue: the confirm modal's detail, one message per outcome, one
// summary for a tree, the SIGKILL question. Pure (`l10n` comes in, see ageText.ts); command
// lines are the view model's sanitized text or displayCommand's, and killCommand.ts shows all
// of it through messages.ts (finalMessage: no link syntax, no raw control character).
import type * as vscode from 'vscode';
import type { KillOutcome, KillSignal, KillTarget, TargetOutcome } from '../proc/kill';
import { summarize } from '../proc/killFlow';
import type { KillPlan } from '../proc/killFlow';
import { displayCommand } from '../watchdog/format';
import { sanitize } from '../watchdog/sanitize';
import type { ProcessRow } from '../watchdog/viewModel';
import { ageText } from './ageText';

/** What this needs of vscode.l10n (a stand-in in unit tests). */
type L10n = Pick<typeof vscode.l10n, 't'>;

/** How many pids a modal lists before "and N more". */
const MAX_LISTED = 8;
/** A descendant's command line in the modal: one line each. */
const MAX_LISTED_COMMAND_CHARS = 160;

function pidList(targets: readonly KillTarget[], l10n: L10n): string {
  const shown = targets.slice(0, MAX_LISTED).map((t) => String(t.pid));
  const rest = targets.length - shown.length;
  return rest > 0 ? l10n.t('{0} and {1} more', shown.join(', '), rest) : shown.join(', ');
}

export function treeButton(count: number, l10n: L10n): string {
  return count === 1
    ? l10n.t('Terminate with 1 descendant')
    : l10n.t('Terminate with {0} descendants', count);
}

/** The modal's detail: what runs, where, and exactly which pids each button signals. */
export function confirmDetail(row: ProcessRow, plan: KillPlan, l10n: L10n): string {
  const container = row.text.container;
  const lines = [
    row.commandLine,
    '',
    l10n.t('PID {0}, running for {1}.', row.pid, ageText(row.ageSeconds, l10n)),
    container === null
      ? l10n.t('Container: none named in its cgroup.')
      : l10n.t('Container: {0}.', container),
    '',
    l10n.t(
      '"Terminate (SIGTERM)" sends SIGTERM to PID {0} only, after checking that it is still the same process.',
      row.pid,
    ),
  ];
  const n = plan.descendants.length;
  if (n > 0) {
    lines.push(
      l10n.t(
        '"{0}" also sends SIGTERM to the processes it started (xdist workers, fixture subprocesses), each checked first: PIDs {1}.',
        treeButton(n, l10n),
        pidList(plan.descendants, l10n),
      ),
    );
    for (const d of plan.descendants.slice(0, MAX_LISTED))
      lines.push(`  ${d.pid}: ${displayCommand(d.argv, MAX_LISTED_COMMAND_CHARS)}`);
  } else if (plan.listError !== null) {
    lines.push(l10n.t('Its descendants could not be listed: {0}', sanitize(plan.listError, 300)));
  } else {
    lines.push(l10n.t('It has no descendants.'));
  }
  return lines.join('\n');
}

export function outcomeMessage(row: ProcessRow, outcome: KillOutcome, l10n: L10n): string {
  switch (outcome.kind) {
    case 'killed':
      return l10n.t('Sent {0} to PID {1} ({2}).', outcome.signal, row.pid, row.label);
    case 'alreadyGone':
      return l10n.t('PID {0} had already exited; nothing was signalled.', row.pid);
    case 'pidReused':
      return l10n.t('PID {0} now belongs to a different process; nothing was signalled.', row.pid);
    case 'denied':
      return l10n.t(
        'Not permitted to signal PID {0}. Run this instead: {1}',
        row.pid,
        sanitize(outcome.command, 300),
      );
    case 'refused':
      return l10n.t('Refused to signal PID {0}: {1}', row.pid, refusalText(row.pid, outcome, l10n));
  }
}

/** The refusal in the UI's language; the English `reason` stays for the log and the CLI. */
function refusalText(pid: number, refusal: Extract<KillOutcome, { kind: 'refused' }>, l10n: L10n): string {
  switch (refusal.code) {
    case 'init':
      return l10n.t('PID {0} is init or not a process', pid);
    case 'ancestorsUnknown':
      return l10n.t("cannot determine this editor's own process and its ancestors");
    case 'foreignNamespace':
      return l10n.t(
        'the proc root belongs to another PID namespace, where PID {0} is a different process',
        pid,
      );
    case 'ownProcess':
      return l10n.t("PID {0} is this editor's own process or one of its ancestors", pid);
    case 'unreadable':
      return l10n.t('cannot read /proc/{0} to verify it (permission denied)', pid);
    case 'unverifiable':
      return l10n.t('cannot verify PID {0} ({1})', pid, sanitize(refusal.reason, 300));
    case 'reaper':
      return l10n.t('PID {0} is a reaper; killing it would take its children along', pid);
    case 'noMatch':
      return l10n.t('PID {0} no longer matches the configured patterns', pid);
    case 'signalFailed':
      return l10n.t('the signal failed ({0})', sanitize(refusal.reason, 300));
  }
}

/** One message for a whole tree: counts per outcome, the first refusal's reason. */
export function treeSummary(
  row: ProcessRow,
  results: readonly TargetOutcome[],
  signal: KillSignal,
  l10n: L10n,
): string {
  const c = summarize(results);
  const parts = [l10n.t('{0} signalled', c.killed)];
  if (c.alreadyGone > 0) parts.push(l10n.t('{0} already gone', c.alreadyGone));
  if (c.pidReused > 0) parts.push(l10n.t('{0} PID reused (left alone)', c.pidReused));
  if (c.denied > 0) parts.push(l10n.t('{0} not permitted', c.denied));
  const refused = results.find((r) => r.outcome.kind === 'refused');
  if (refused?.outcome.kind === 'refused')
    parts.push(
      l10n.t('{0} refused ({1})', c.refused, refusalText(refused.target.pid, refused.outcome, l10n)),
    );
  return l10n.t(
    '{0} to PID {1} ({2}) and its descendants: {3}.',
    signal,
    row.pid,
    row.label,
    parts.join(', '),
  );
}

/** The SIGKILL offer after the grace period: its question and its detail. */
export function sigkillQuestion(
  row: ProcessRow,
  survivors: readonly KillTarget[],
  graceSeconds: number,
  l10n: L10n,
): { message: string; detail: string } {
  const alone = survivors.length === 1 && survivors[0]!.pid === row.pid;
  if (alone)
    return {
      message: l10n.t('PID {0} is still running {1} s after SIGTERM. Send SIGKILL?', row.pid, graceSeconds),
      detail: row.commandLine,
    };
  return {
    message: l10n.t(
      '{0} processes of PID {1} are still running {2} s after SIGTERM. Send SIGKILL to them?',
      survivors.length,
      row.pid,
      graceSeconds,
    ),
    detail:
      survivors
        .slice(0, MAX_LISTED)
        .map((t) => `${t.pid}: ${displayCommand(t.argv, MAX_LISTED_COMMAND_CHARS)}`)
        .join('\n') +
      '\n\n' +
      l10n.t('Each is checked to be the same process right before SIGKILL.'),
  };
}
