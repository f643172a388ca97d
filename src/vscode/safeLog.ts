// The extension's log (a LogOutputChannel), wrapped so every line is sanitized on its way in:
// log lines carry outside text (a kill's outcome naming a command line, a rejected setting's
// value, an error whose message quotes a path), and a control character or a line break in it
// could forge log lines. Callers keep the LogOutputChannel interface and write what they like.
import type * as vscode from 'vscode';
import { sanitize } from '../watchdog/sanitize';

/** One log line at most this long (a 128 KiB argv in an error message stays readable). */
const MAX_LOG_LINE_CHARS = 4000;

/** An Error as `Name: message` on one line, then its stack frames (our own code's paths). */
function errorText(error: Error): string {
  const head = sanitize(`${error.name}: ${error.message}`, MAX_LOG_LINE_CHARS);
  const frames = (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .slice(0, 20)
    .map((line) => `    ${sanitize(line.trim(), 300)}`);
  return [head, ...frames].join('\n');
}

function pieceText(piece: unknown): string {
  if (piece instanceof Error) return errorText(piece);
  if (typeof piece === 'string') return sanitize(piece, MAX_LOG_LINE_CHARS);
  let json: string | undefined;
  try {
    json = JSON.stringify(piece);
  } catch {
    json = undefined;
  }
  return sanitize(json ?? String(piece), MAX_LOG_LINE_CHARS);
}

/** What one log call writes: the message and its arguments, each sanitized, space-separated. */
export function logText(message: unknown, args: readonly unknown[] = []): string {
  return [message, ...args].map(pieceText).join(' ');
}

/** `channel`, with every message sanitized before it is written. */
export function sanitizingLog(channel: vscode.LogOutputChannel): vscode.LogOutputChannel {
  const multiLine = (text: string): string =>
    sanitize(text, { maxChars: MAX_LOG_LINE_CHARS, keepNewlines: true });
  const show = (columnOrFocus?: vscode.ViewColumn | boolean, preserveFocus?: boolean): void => {
    if (typeof columnOrFocus === 'boolean' || columnOrFocus === undefined) channel.show(columnOrFocus);
    else channel.show(columnOrFocus, preserveFocus);
  };
  return {
    get name() {
      return channel.name;
    },
    get logLevel() {
      return channel.logLevel;
    },
    onDidChangeLogLevel: channel.onDidChangeLogLevel,
    trace: (message, ...args) => channel.trace(logText(message, args)),
    debug: (message, ...args) => channel.debug(logText(message, args)),
    info: (message, ...args) => channel.info(logText(message, args)),
    warn: (message, ...args) => channel.warn(logText(message, args)),
    error: (error, ...args) => channel.error(logText(error, args)),
    append: (value) => channel.append(multiLine(value)),
    appendLine: (value) => channel.appendLine(multiLine(value)),
    replace: (value) => channel.replace(multiLine(value)),
    clear: () => channel.clear(),
    show,
    hide: () => channel.hide(),
    dispose: () => channel.dispose(),
  };
}
