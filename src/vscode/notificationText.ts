// The words of a tick's one notification: fires and reminders grouped into a warning,
// recoveries into an information message (or appended to the warning when both happen in the
// same tick). Pure (`l10n` comes in, see ageText.ts); the pieces from outside (labels, patterns,
// comms, recovered commands) are the view model's sanitized text, and notifications.ts passes
// the whole message through finalMessage when it shows it.
import type * as vscode from 'vscode';
import type { AlertEvent, RecoveryReason } from '../watchdog/types';
import { sanitize } from '../watchdog/sanitize';
import type { ProcessRow } from '../watchdog/viewModel';
import { ageText } from './ageText';

/** What this needs of vscode.l10n (a stand-in in unit tests). */
type L10n = Pick<typeof vscode.l10n, 't'>;

/** A recovered command as a notification names it (it may come from an older saved state). */
const MAX_COMMAND_CHARS = 80;

type FireEvent = Extract<AlertEvent, { type: 'fire' | 'remind' }>;
type RecoveryEvent = Extract<AlertEvent, { type: 'recovery' }>;

const MAX_LISTED_RECOVERIES = 3;

export interface ComposedNotification {
  readonly severity: 'warning' | 'information';
  readonly message: string;
  /** Keys the actions act on (the fired/reminded processes); empty for recovery only. */
  readonly keys: readonly string[];
}

function orphanSuffix(row: ProcessRow | undefined, l10n: L10n): string {
  if (row === undefined || !row.orphaned) return '';
  const onto = row.text.parentComm ?? (row.sample.ppid <= 1 ? 'init' : String(row.sample.ppid));
  return l10n.t(' (orphaned onto {0})', onto);
}

function reasonText(reason: RecoveryReason, l10n: L10n): string {
  switch (reason) {
    case 'killed':
      return l10n.t('killed from Proc Watchdog');
    case 'pidReused':
      return l10n.t('gone, its PID now belongs to another process');
    case 'exited':
      return l10n.t('exited');
  }
}

function alertText(events: readonly FireEvent[], rows: ReadonlyMap<string, ProcessRow>, l10n: L10n): string {
  const oldest = events.reduce((a, b) => (b.ageSeconds > a.ageSeconds ? b : a));
  const row = rows.get(oldest.key);
  const what = row?.text.pattern ?? 'pytest';
  const allReminders = events.every((e) => e.type === 'remind');
  if (events.length === 1) {
    const suffix = orphanSuffix(row, l10n);
    const label = row?.label ?? `PID ${oldest.pid}`;
    return allReminders
      ? l10n.t(
          'Proc Watchdog: 1 {0} process is still running after {1}{2}: {3} (PID {4}).',
          what,
          ageText(oldest.ageSeconds, l10n),
          suffix,
          label,
          oldest.pid,
        )
      : l10n.t(
          'Proc Watchdog: 1 {0} process has been running for {1}{2}: {3} (PID {4}).',
          what,
          ageText(oldest.ageSeconds, l10n),
          suffix,
          label,
          oldest.pid,
        );
  }
  const orphans = events.filter((e) => rows.get(e.key)?.orphaned === true).length;
  const head = allReminders
    ? l10n.t(
        'Proc Watchdog: {0} {1} processes are still blocking; the oldest has been running for {2}.',
        events.length,
        what,
        ageText(oldest.ageSeconds, l10n),
      )
    : l10n.t(
        'Proc Watchdog: {0} {1} processes are blocking; the oldest has been running for {2}.',
        events.length,
        what,
        ageText(oldest.ageSeconds, l10n),
      );
  return orphans > 0 ? `${head} ${l10n.t('Orphaned: {0}.', orphans)}` : head;
}

function recoveryText(events: readonly RecoveryEvent[], l10n: L10n): string {
  if (events.length === 1) {
    const e = events[0] as RecoveryEvent;
    return l10n.t(
      'Proc Watchdog: {0} (PID {1}) is no longer running: {2}, after {3}.',
      sanitize(e.command, MAX_COMMAND_CHARS),
      e.pid,
      reasonText(e.reason, l10n),
      ageText(e.ranSeconds, l10n),
    );
  }
  // A toast is not a log: name the first few and count the rest (the log has each one).
  const shown = events.slice(0, MAX_LISTED_RECOVERIES);
  const list = shown
    .map((e) =>
      l10n.t('PID {0} {1} after {2}', e.pid, reasonText(e.reason, l10n), ageText(e.ranSeconds, l10n)),
    )
    .join('; ');
  const rest = events.length - shown.length;
  const more = rest > 0 ? ` ${l10n.t('…and {0} more', rest)}` : '';
  return l10n.t('Proc Watchdog: {0} processes are no longer running: {1}.', events.length, list) + more;
}

/** The one notification for a tick's events, or null when there is nothing to say. */
export function composeNotification(
  events: readonly AlertEvent[],
  rows: ReadonlyMap<string, ProcessRow>,
  l10n: L10n,
): ComposedNotification | null {
  const alerts = events.filter((e): e is FireEvent => e.type === 'fire' || e.type === 'remind');
  const recoveries = events.filter((e): e is RecoveryEvent => e.type === 'recovery');
  if (alerts.length === 0 && recoveries.length === 0) return null;
  if (alerts.length === 0)
    return { severity: 'information', message: recoveryText(recoveries, l10n), keys: [] };
  const message =
    recoveries.length === 0
      ? alertText(alerts, rows, l10n)
      : `${alertText(alerts, rows, l10n)} ${recoveryText(recoveries, l10n)}`;
  return { severity: 'warning', message, keys: alerts.map((e) => e.key) };
}
