// The status-bar indicator: `$(watch) N` on a warning background while N processes block. Quiet
// means absent: with nothing blocking it is hidden, unless `procWatchdog.statusBar` is "always"
// ("never" hides it for good). Its tooltip is Markdown with our own command links (Scan Now,
// Show): trusted for those command ids only; every outside string in it is a code span.
import * as vscode from 'vscode';
import { markdownCode, sanitize } from '../watchdog/sanitize';
import type { ViewModel } from '../watchdog/viewModel';
import { ageText } from './ageText';
import { VIEW_ID } from './processTree';
import { isolatedNote } from './rowText';
import { SECTION } from './settings';

const STATUS_ITEM_ID = 'procWatchdog.status';
const MAX_LISTED = 5;
/** The only commands the tooltip's links may run. */
const TOOLTIP_COMMANDS = ['procWatchdog.scanNow', `${VIEW_ID}.focus`, 'procWatchdog.openSettings'];

export type StatusBarMode = 'blocking' | 'always' | 'never';

/** `procWatchdog.statusBar`; anything else reads as the default. */
function statusBarMode(): StatusBarMode {
  const value = vscode.workspace.getConfiguration(SECTION).get<unknown>('statusBar');
  return value === 'always' || value === 'never' ? value : 'blocking';
}

export interface StatusNotes {
  readonly isolated: boolean;
  /** "Sidecar watch (.env.watchdog): off", or ''. */
  readonly sidecarNote: string;
  /** Threshold advice ("Runs here … took up to 1h 12m …: consider 90."), or ''. */
  readonly advice: string;
}

export class WatchStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor(private readonly mode: () => StatusBarMode = statusBarMode) {
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('Proc Watchdog');
    this.item.command = { command: `${VIEW_ID}.focus`, title: vscode.l10n.t('Show processes') };
  }

  hide(): void {
    this.item.hide();
  }

  show(model: ViewModel, notes: StatusNotes): void {
    const blocking = model.all.filter((r) => r.blocking);
    const mode = this.mode();
    if (mode === 'never' || (mode === 'blocking' && blocking.length === 0)) {
      this.item.hide();
      return;
    }
    this.item.text = blocking.length > 0 ? `$(watch) ${blocking.length}` : '$(watch)';
    this.item.backgroundColor =
      blocking.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = tooltip(model, notes);
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('Proc Watchdog: {0} blocking', blocking.length),
    };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function tooltip(model: ViewModel, notes: StatusNotes): vscode.MarkdownString {
  const blocking = model.all.filter((r) => r.blocking);
  const md = new vscode.MarkdownString(undefined, true);
  md.isTrusted = { enabledCommands: TOOLTIP_COMMANDS };
  md.appendMarkdown(`**${vscode.l10n.t('Proc Watchdog')}**\n\n`);
  if (blocking.length === 0) md.appendText(vscode.l10n.t('No process is blocking.'));
  else {
    md.appendText(vscode.l10n.t('{0} blocking:', blocking.length));
    md.appendMarkdown('\n\n');
    for (const row of blocking.slice(0, MAX_LISTED))
      md.appendMarkdown(`- ${markdownCode(row.label)} — PID ${row.pid}, ${ageText(row.ageSeconds)}\n`);
    if (blocking.length > MAX_LISTED) {
      md.appendText(vscode.l10n.t('…and {0} more', blocking.length - MAX_LISTED));
      md.appendMarkdown('\n');
    }
  }
  const extra = [notes.isolated ? isolatedNote() : '', notes.sidecarNote, notes.advice].filter(
    (s) => s !== '',
  );
  for (const line of extra) {
    md.appendMarkdown('\n\n');
    md.appendText(sanitize(line, 300)); // the sidecar note names the env file
  }
  md.appendMarkdown(
    `\n\n---\n\n[$(refresh) ${vscode.l10n.t('Scan Now')}](command:procWatchdog.scanNow) · ` +
      `[$(list-tree) ${vscode.l10n.t('Show')}](command:${VIEW_ID}.focus) · ` +
      `[$(settings-gear) ${vscode.l10n.t('Settings')}](command:procWatchdog.openSettings)`,
  );
  return md;
}
