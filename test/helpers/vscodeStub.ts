// The few `vscode` members the editor's text builders touch (rowText, report, killText, the
// status-bar tooltip), for checking their words in plain Node: l10n.t fills placeholders in
// English, MarkdownString.appendText escapes as VS Code's does. Only words are checked through
// it; everything the editor does is tested in the real extension host (test/host).
import { englishText } from '../../src/watchdog/notificationText';

export const l10n = { t: englishText };

export class MarkdownString {
  value: string;
  isTrusted: unknown = false;
  constructor(value = '') {
    this.value = value;
  }
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&');
    return this;
  }
}

const item = (): Record<string, unknown> => ({
  show: () => undefined,
  hide: () => undefined,
  dispose: () => undefined,
});

export const ThemeColor = class {};
export const StatusBarAlignment = { Left: 1 };
export const window = { createStatusBarItem: item };
export const workspace = { getConfiguration: () => ({ get: () => undefined }) };
export class EventEmitter {
  event = (): void => undefined;
  fire(): void {}
  dispose(): void {}
}
