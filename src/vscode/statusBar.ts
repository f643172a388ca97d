// The status-bar indicator: `$(watch) N` on a warning background while N processes block,
// a plain quiet `$(watch)` otherwise (kept visible so the user knows the watch is on; hidden
// when watching is off or impossible).
import * as vscode from 'vscode';
import type { ViewModel } from '../watchdog/viewModel';
import { VIEW_ID } from './processTree';
import { statusTooltipMarkdown } from './rowText';

export const STATUS_ITEM_ID = 'procWatchdog.status';

export class WatchStatusBar implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;

  constructor() {
    this.item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 10);
    this.item.name = vscode.l10n.t('Proc Watchdog');
    this.item.command = { command: `${VIEW_ID}.focus`, title: vscode.l10n.t('Show processes') };
  }

  hide(): void {
    this.item.hide();
  }

  show(model: ViewModel, isolatedPidNamespace: boolean): void {
    const blocking = model.all.filter((r) => r.blocking);
    this.item.text = blocking.length > 0 ? `$(watch) ${blocking.length}` : '$(watch)';
    this.item.backgroundColor =
      blocking.length > 0 ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.tooltip = new vscode.MarkdownString(
      statusTooltipMarkdown(model, isolatedPidNamespace, vscode.l10n),
    );
    this.item.accessibilityInformation = {
      label: vscode.l10n.t('Proc Watchdog: {0} blocking', blocking.length),
    };
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}
