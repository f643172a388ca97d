// The one notification this window keeps on screen. VS Code cannot edit or close a message shown
// with showWarningMessage, but it can both for a progress notification: `withProgress` at
// ProgressLocation.Notification shows `report({ message })` text (links included), updates it in
// place on the next report, and closes it when the task's promise resolves. So:
//   show(text)   close the current one, open a new one (a toast that asks for attention)
//   update(text) replace the text of the open one in place (no new toast)
//   close()      resolve its promise: it leaves the screen and the notification center
// `increment: 0` on the first report makes the progress bar determinate at 0 %, i.e. invisible;
// `cancellable` adds the one button ("Cancel"), which also keeps the toast expanded so the whole
// message and its links show, and which the user presses to dismiss it.
// A progress notification the user hides (Escape) turns into a spinner with its text in the
// status bar until it ends, so it also ends on its own after MAX_OPEN_MS: the tree, its badge and
// the status-bar count keep saying what blocks, and news opens a new one.
import * as vscode from 'vscode';

interface Open {
  readonly progress: vscode.Progress<{ message?: string; increment?: number }>;
  readonly resolve: () => void;
  readonly shownAtMs: number;
  text: string;
}

/**
 * VS Code keeps a closed progress notification at least 800 ms on screen (progressService's
 * minimum): replacing a younger one would show two toasts for a moment, so it is updated instead.
 */
const MIN_REPLACE_AGE_MS = 1000;
const MAX_OPEN_MS = 90_000;

export class LiveNotification implements vscode.Disposable {
  private current: Open | null = null;
  private lingerTimer: ReturnType<typeof setTimeout> | null = null;
  private lifetimeTimer: ReturnType<typeof setTimeout> | null = null;

  /** `onClosedByItself`: the user pressed its button, or it ended after MAX_OPEN_MS. */
  constructor(
    private readonly onClosedByItself: (why: 'dismissed' | 'expired') => void,
    private readonly nowMs: () => number = Date.now,
  ) {}

  get isOpen(): boolean {
    return this.current !== null;
  }

  show(text: string): void {
    this.cancelLinger();
    const open = this.current;
    if (open !== null && this.nowMs() - open.shownAtMs < MIN_REPLACE_AGE_MS) {
      this.update(text);
      return;
    }
    this.close();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, cancellable: true },
      (progress, token) =>
        new Promise<void>((resolve) => {
          const mine: Open = { progress, resolve, shownAtMs: this.nowMs(), text };
          this.current = mine;
          progress.report({ message: text, increment: 0 });
          this.lifetimeTimer = setTimeout(() => {
            if (this.current !== mine) return;
            this.close();
            this.onClosedByItself('expired');
          }, MAX_OPEN_MS);
          token.onCancellationRequested(() => {
            resolve();
            if (this.current !== mine) return;
            this.current = null;
            this.onClosedByItself('dismissed');
          });
        }),
    );
  }

  update(text: string): void {
    this.cancelLinger();
    const open = this.current;
    if (open === null || open.text === text) return;
    open.text = text;
    open.progress.report({ message: text });
  }

  /** Close after `ms` unless something is shown or updated before. */
  closeAfter(ms: number, then: () => void): void {
    this.cancelLinger();
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = null;
      this.close();
      then();
    }, ms);
  }

  close(): void {
    this.cancelLinger();
    if (this.lifetimeTimer !== null) clearTimeout(this.lifetimeTimer);
    this.lifetimeTimer = null;
    const open = this.current;
    this.current = null;
    open?.resolve();
  }

  dispose(): void {
    this.close();
  }

  private cancelLinger(): void {
    if (this.lingerTimer !== null) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
  }
}
