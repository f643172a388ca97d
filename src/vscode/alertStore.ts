// Alert state across window reloads, so a reload neither repeats an alert inside its cooldown
// nor loses a pending recovery. workspaceState rather than globalState: the keys are
// pid:starttime, meaningful only on one machine and one boot, and a workspace is bound to one
// machine (local, or one remote authority) while globalState is shared across all of them.
// Sharing between several windows on the same machine is the leader election's job.
import type * as vscode from 'vscode';
import type { AlertState } from '../watchdog/alertState';
import { parseAlertState, persistentAlertState, serializeAlertState } from '../watchdog/alertState';
import { parseRunLengths, storedRunLengths } from '../watchdog/runLengths';
import type { RunLengths } from '../watchdog/runLengths';

const STORAGE_KEY = 'procWatchdog.alertState';
const RUN_LENGTHS_KEY = 'procWatchdog.runLengths';

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

/** How long runs here took when they ended on their own (threshold advice), across reloads. */
export class RunLengthsStore {
  private lastWritten = '';

  constructor(private readonly memento: vscode.Memento) {}

  /** Never throws: garbage gives the empty memory (parseRunLengths). */
  load(): RunLengths {
    const r = parseRunLengths(this.memento.get<unknown>(RUN_LENGTHS_KEY));
    this.lastWritten = JSON.stringify(storedRunLengths(r));
    return r;
  }

  /** Writes only when what is stored changed (a run ended on its own), not every tick. */
  save(r: RunLengths): void {
    const json = storedRunLengths(r);
    const text = JSON.stringify(json);
    if (text === this.lastWritten) return;
    this.lastWritten = text;
    this.memento.update(RUN_LENGTHS_KEY, json).then(undefined, () => {
      if (this.lastWritten === text) this.lastWritten = '';
    });
  }
}
