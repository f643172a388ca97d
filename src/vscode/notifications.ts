// Notifications come from alert transitions only, and a tick yields at most ONE (its words:
// notificationText.ts). Shown through messages.ts, which strips link syntax from the text.
import * as vscode from 'vscode';
import { notify } from './messages';
import type { ComposedNotification } from './notificationText';

export interface NotificationActions {
  show(): void;
  kill(keys: readonly string[]): void;
  snooze(keys: readonly string[]): void;
}

/** Shows it without awaiting (a toast the user ignores must not hold up the next tick). */
export function showNotification(note: ComposedNotification, actions: NotificationActions): void {
  if (note.severity === 'information') {
    void notify('information', note.message);
    return;
  }
  const show = vscode.l10n.t('Show');
  const kill = vscode.l10n.t('Kill…');
  const snooze = vscode.l10n.t('Snooze');
  void notify('warning', note.message, show, kill, snooze).then((choice) => {
    if (choice === show) actions.show();
    else if (choice === kill) actions.kill(note.keys);
    else if (choice === snooze) actions.snooze(note.keys);
  });
}
