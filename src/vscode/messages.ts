// The one way this extension puts text into a VS Code notification or modal. VS Code renders
// `[label](command:…)` (and https:, file:) in message text as a clickable link, and a modal's
// detail is shown as written: every message and detail passes finalMessage here, right before
// it is shown, so no outside text (a command line, a setting's value) can plant a link or a
// control character, whatever the caller composed. ESLint forbids calling
// window.show*Message anywhere else (eslint.config.mjs).
import * as vscode from 'vscode';
import { finalMessage } from '../watchdog/sanitize';

export type Severity = 'information' | 'warning' | 'error';

export interface ModalOptions {
  readonly detail?: string;
}

function showRaw<T extends string>(
  severity: Severity,
  message: string,
  options: vscode.MessageOptions,
  items: readonly T[],
): Thenable<T | undefined> {
  const text = finalMessage(message);
  switch (severity) {
    case 'information':
      return vscode.window.showInformationMessage(text, options, ...items);
    case 'warning':
      return vscode.window.showWarningMessage(text, options, ...items);
    case 'error':
      return vscode.window.showErrorMessage(text, options, ...items);
  }
}

/** A notification (toast); resolves with the button picked, or undefined. */
export function notify<T extends string>(
  severity: Severity,
  message: string,
  ...items: readonly T[]
): Thenable<T | undefined> {
  return showRaw(severity, message, {}, items);
}

/** A modal dialog; its detail keeps its line breaks and nothing else raw. */
export function modal<T extends string>(
  severity: Severity,
  message: string,
  options: ModalOptions,
  ...items: readonly T[]
): Thenable<T | undefined> {
  const detail = options.detail === undefined ? undefined : finalMessage(options.detail);
  return showRaw(severity, message, detail === undefined ? { modal: true } : { modal: true, detail }, items);
}
