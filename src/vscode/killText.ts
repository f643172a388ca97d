// The kill's words: the confirm modal's title and detail, and one message per outcome that needs
// one (a calm outcome is said by the live notification and the row, see controller.ts). Outside
// text passes forMessage (sanitized, no link syntax) before it reaches a message or a modal.
import * as vscode from 'vscode';
import type { KillOutcome, KillSignal, KillTarget, TargetOutcome } from '../proc/kill';
import { summarize } from '../proc/killFlow';
import type { KillPlan } from '../proc/killFlow';
import { parentText } from '../watchdog/parentText';
import { forMessage } from '../watchdog/sanitize';
import { displayCommand } from '../watchdog/format';
import { rowLabel } from '../watchdog/rowLabel';
import type { ProcessRow } from '../watchdog/viewModel';
import { ageText } from './ageText';

/** How many processes a modal lists before "and N more". */
export const MAX_LISTED = 8;
const MODAL_COMMAND_CHARS = 400;

/** A modal has room for more than a tree row's label. */
const label = (row: ProcessRow): string => forMessage(rowLabel(row.sample, 60));

export function runButton(processes: number): string {
  return vscode.l10n.t('Terminate run ({0} processes)', processes);
}

export function rootOnlyButton(): string {
  return vscode.l10n.t('Root only');
}

export function terminateButton(): string {
  return vscode.l10n.t('Terminate (SIGTERM)');
}

/** "Terminate pytest -n 2 tests/ (3 processes)?": what runs, and how many a run kill signals. */
export function confirmTitle(row: ProcessRow, plan: KillPlan): string {
  const n = plan.descendants.length + 1;
  return n === 1
    ? vscode.l10n.t('Terminate {0}?', label(row))
    : vscode.l10n.t('Terminate {0} ({1} processes)?', label(row), n);
}

/** The warning that leads a modal when whatever started it may still be waiting for it. */
export function launcherWarning(row: ProcessRow): string | null {
  if (row.launcher === null) return null;
  return vscode.l10n.t(
    'Its launcher ({0}, PID {1}) is still running: this may be an active run.',
    forMessage(row.launcher.comm, 40),
    row.launcher.pid,
  );
}

/** "PID 4242, running for 2h 14m, orphaned onto tini." */
function whoLine(row: ProcessRow): string {
  const age = ageText(row.ageSeconds);
  if (!row.orphaned) return vscode.l10n.t('PID {0}, running for {1}.', row.pid, age);
  const onto = parentText(row.sample, vscode.l10n.t, (comm) => forMessage(comm, 40), false);
  return vscode.l10n.t('PID {0}, running for {1}, orphaned onto {2}.', row.pid, age, onto);
}

/** What each process of a row's run holds, by pid (the row, its workers, nested rows). */
function holdsByPid(row: ProcessRow): Map<number, readonly string[]> {
  const out = new Map<number, readonly string[]>();
  const walk = (r: ProcessRow): void => {
    if (r.holds.length > 0) out.set(r.pid, r.holds);
    r.children.forEach(walk);
  };
  walk(row);
  return out;
}

/** "  4243: python3 -c … — holds :8765": each process of a run and what it holds. */
export function listTargets(
  targets: readonly KillTarget[],
  holds: ReadonlyMap<number, readonly string[]> = new Map(),
): string[] {
  const lines = targets.slice(0, MAX_LISTED).map((t) => {
    const line = `  ${t.pid}: ${forMessage(displayCommand(t.argv), { maxChars: 120, elide: 'middle' })}`;
    const held = holds.get(t.pid);
    if (held === undefined) return line;
    const text = held.slice(0, 3).map((h) => forMessage(h, { maxChars: 60, elide: 'middle' }));
    return `${line} — ${vscode.l10n.t('holds {0}', text.join(', '))}`;
  });
  const rest = targets.length - MAX_LISTED;
  if (rest > 0) lines.push(`  ${vscode.l10n.t('…and {0} more', rest)}`);
  return lines;
}

/** The modal's detail: a warning first when it may be live, what runs, and what each button signals. */
export function confirmDetail(row: ProcessRow, plan: KillPlan): string {
  const warning = launcherWarning(row);
  const lines = warning === null ? [] : [`⚠ ${warning}`, ''];
  const holds = holdsByPid(row);
  const rootHolds = holds.get(row.pid);
  lines.push(
    forMessage(row.commandLine, { maxChars: MODAL_COMMAND_CHARS, elide: 'middle' }),
    '',
    whoLine(row),
  );
  if (rootHolds !== undefined)
    lines.push(vscode.l10n.t('holds {0}', rootHolds.map((h) => forMessage(h, 60)).join(', ')));
  const container = row.sample.containerId;
  if (container !== null) lines.push(vscode.l10n.t('It runs in container {0}.', container.slice(0, 12)));
  lines.push('');
  const n = plan.descendants.length;
  if (n > 0) {
    lines.push(
      vscode.l10n.t(
        '"{0}" sends SIGTERM to it and to the processes it started (xdist workers, fixture subprocesses):',
        runButton(n + 1),
      ),
      ...listTargets(plan.descendants, holds),
      vscode.l10n.t('"{0}" sends SIGTERM to PID {1} only.', rootOnlyButton(), row.pid),
    );
  } else {
    if (plan.listError !== null)
      lines.push(vscode.l10n.t('Its descendants could not be listed: {0}', forMessage(plan.listError)));
    lines.push(vscode.l10n.t('"{0}" sends SIGTERM to PID {1}.', terminateButton(), row.pid));
  }
  lines.push(vscode.l10n.t('Each process is checked to still be the same one right before it is signalled.'));
  return lines.join('\n');
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
      return vscode.l10n.t('cannot verify PID {0} ({1})', pid, forMessage(refusal.reason));
    case 'reaper':
      return vscode.l10n.t('PID {0} is a reaper; killing it would take its children along', pid);
    case 'noMatch':
      return vscode.l10n.t('PID {0} no longer matches the configured patterns', pid);
    case 'signalFailed':
      return vscode.l10n.t('the signal failed ({0})', forMessage(refusal.reason));
  }
}

/** One process's outcome, for the outcomes that need a message. */
export function outcomeMessage(row: ProcessRow, outcome: KillOutcome): string {
  switch (outcome.kind) {
    case 'killed':
      return vscode.l10n.t('Sent {0} to PID {1} ({2}).', outcome.signal, row.pid, label(row));
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

/** One message for several processes: counts per outcome, the first refusal's reason. */
export function treeSummary(
  rows: readonly ProcessRow[],
  results: readonly TargetOutcome[],
  signal: KillSignal,
): string {
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
  const what =
    rows.length === 1 && rows[0] !== undefined ? label(rows[0]) : vscode.l10n.t('{0} runs', rows.length);
  return vscode.l10n.t('{0} to {1}: {2}.', signal, what, parts.join(', '));
}
