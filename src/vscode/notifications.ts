// Notifications come from alert transitions only, and a tick yields at most ONE: fires and
// reminders are grouped into a warning, recoveries into an information message (or appended
// to the warning when both happen in the same tick).
import * as vscode from 'vscode';
import { ageText } from './ageText';
import type { AlertEvent, RecoveryReason } from '../watchdog/types';
import type { ProcessRow } from '../watchdog/viewModel';

type FireEvent = Extract<AlertEvent, { type: 'fire' | 'remind' }>;
type RecoveryEvent = Extract<AlertEvent, { type: 'recovery' }>;

const MAX_LISTED_RECOVERIES = 3;

export interface NotificationActions {
  show(): void;
  kill(keys: readonly string[]): void;
  snooze(keys: readonly string[]): void;
}

export interface ComposedNotification {
  readonly severity: 'warning' | 'information';
  readonly message: string;
  /** Keys the actions act on (the fired/reminded processes); empty for recovery only. */
  readonly keys: readonly string[];
}

function orphanSuffix(row: ProcessRow | undefined): string {
  if (row === undefined || !row.orphaned) return '';
  const onto = row.sample.parent?.comm ?? (row.sample.ppid <= 1 ? 'init' : String(row.sample.ppid));
  return vscode.l10n.t(' (orphaned onto {0})', onto);
}

function reasonText(reason: RecoveryReason): string {
  switch (reason) {
    case 'killed':
      return vscode.l10n.t('killed from Proc Watchdog');
    case 'pidReused':
      return vscode.l10n.t('gone, its PID now belongs to another process');
    case 'exited':
      return vscode.l10n.t('exited');
  }
}

function alertText(events: readonly FireEvent[], rows: ReadonlyMap<string, ProcessRow>): string {
  const oldest = events.reduce((a, b) => (b.ageSeconds > a.ageSeconds ? b : a));
  const row = rows.get(oldest.key);
  const what = row?.sample.pattern ?? 'pytest';
  const allReminders = events.every((e) => e.type === 'remind');
  if (events.length === 1) {
    const suffix = orphanSuffix(row);
    const label = row?.label ?? `PID ${oldest.pid}`;
    return allReminders
      ? vscode.l10n.t(
          'Proc Watchdog: 1 {0} process is still running after {1}{2}: {3} (PID {4}).',
          what,
          ageText(oldest.ageSeconds),
          suffix,
          label,
          oldest.pid,
        )
      : vscode.l10n.t(
          'Proc Watchdog: 1 {0} process has been running for {1}{2}: {3} (PID {4}).',
          what,
          ageText(oldest.ageSeconds),
          suffix,
          label,
          oldest.pid,
        );
  }
  const orphans = events.filter((e) => rows.get(e.key)?.orphaned === true).length;
  const head = allReminders
    ? vscode.l10n.t(
        'Proc Watchdog: {0} {1} processes are still blocking; the oldest has been running for {2}.',
        events.length,
        what,
        ageText(oldest.ageSeconds),
      )
    : vscode.l10n.t(
        'Proc Watchdog: {0} {1} processes are blocking; the oldest has been running for {2}.',
        events.length,
        what,
        ageText(oldest.ageSeconds),
      );
  return orphans > 0 ? `${head} ${vscode.l10n.t('Orphaned: {0}.', orphans)}` : head;
}

function recoveryText(events: readonly RecoveryEvent[]): string {
  if (events.length === 1) {
    const e = events[0] as RecoveryEvent;
    return vscode.l10n.t(
      'Proc Watchdog: {0} (PID {1}) is no longer running: {2}, after {3}.',
      e.command,
      e.pid,
      reasonText(e.reason),
      ageText(e.ranSeconds),
    );
  }
  // A toast is not a log: name the first few and count the rest (the log has each one).
  const shown = events.slice(0, MAX_LISTED_RECOVERIES);
  const list = shown
    .map((e) => vscode.l10n.t('PID {0} {1} after {2}', e.pid, reasonText(e.reason), ageText(e.ranSeconds)))
    .join('; ');
  const rest = events.length - shown.length;
  const more = rest > 0 ? ` ${vscode.l10n.t('…and {0} more', rest)}` : '';
  return (
    vscode.l10n.t('Proc Watchdog: {0} processes are no longer running: {1}.', events.length, list) + more
  );
}

/** The one notification for a tick's events, or null when there is nothing to say. */
export function composeNotification(
  events: readonly AlertEvent[],
  rows: ReadonlyMap<string, ProcessRow>,
): ComposedNotification | null {
  const alerts = events.filter((e): e is FireEvent => e.type === 'fire' || e.type === 'remind');
  const recoveries = events.filter((e): e is RecoveryEvent => e.type === 'recovery');
  if (alerts.length === 0 && recoveries.length === 0) return null;
  if (alerts.length === 0) return { severity: 'information', message: recoveryText(recoveries), keys: [] };
  const message =
    recoveries.length === 0
      ? alertText(alerts, rows)
      : `${alertText(alerts, rows)} ${recoveryText(recoveries)}`;
  return { severity: 'warning', message, keys: alerts.map((e) => e.key) };
}

/** Shows it without awaiting (a toast the user ignores must not hold up the next tick). */
export function showNotification(note: ComposedNotification, actions: NotificationActions): void {
  if (note.severity === 'information') {
    void vscode.window.showInformationMessage(note.message);
    return;
  }
  const show = vscode.l10n.t('Show');
  const kill = vscode.l10n.t('Kill…');
  const snooze = vscode.l10n.t('Snooze');
  void vscode.window.showWarningMessage(note.message, show, kill, snooze).then((choice) => {
    if (choice === show) actions.show();
    else if (choice === kill) actions.kill(note.keys);
    else if (choice === snooze) actions.snooze(note.keys);
  });
}
