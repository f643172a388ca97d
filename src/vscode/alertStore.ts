// Alert state across window reloads, so a reload neither repeats an alert inside its cooldown
// nor loses a pending recovery. workspaceState rather than globalState: the keys are
// pid:starttime, meaningful only on one machine and one boot, and a workspace is bound to one
// machine (local, or one remote authority) while globalState is shared across all of them.
// Sharing between several windows on the same machine is the leader election's job.
import type * as vscode from 'vscode';
import type { AlertState } from '../watchdog/alertState';
import { parseAlertState, persistentAlertState, serializeAlertState } from '../watchdog/alertState';

const STORAGE_KEY = 'procWatchdog.alertState';

export class AlertStore {
  private lastWritten = '';

  constructor(private readonly memento: vscode.Memento) {}

  /** Never throws: garbage gives the empty state (parseAlertState). */
  load(): AlertState {
    const stored = this.memento.get<unknown>(STORAGE_KEY);
    const state = parseAlertState(stored);
    this.lastWritten = JSON.stringify(serializeAlertState(state));
    return state;
  }

  /**
   * Writes only when the state changed since the last write or load. Snoozes "until restart"
   * are left out: a reload or restart ends them.
   */
  save(state: AlertState): void {
    const json = serializeAlertState(persistentAlertState(state));
    const text = JSON.stringify(json);
    if (text === this.lastWritten) return;
    this.lastWritten = text;
    // A failed write is retried by the next save (never an unhandled rejection).
    this.memento.update(STORAGE_KEY, json).then(undefined, () => {
      if (this.lastWritten === text) this.lastWritten = '';
    });
  }
}
