// The "Processes" view: draws the view model, does no I/O and decides nothing.
import * as vscode from 'vscode';
import type { ProcessRow, ViewModel } from '../watchdog/viewModel';
import { EMPTY_VIEW_MODEL } from '../watchdog/viewModel';
import { describeRow, rowTooltip } from './rowText';

export const VIEW_ID = 'procWatchdog.processes';

/** contextValue that package.json menus gate on (`viewItem == process.blocking`). */
function rowContextValue(row: ProcessRow): string {
  if (row.terminating) return 'process.terminating';
  if (row.blocking) return 'process.blocking';
  if (row.snoozed) return 'process.snoozed';
  return 'process.waiting';
}

export class ProcessTreeProvider implements vscode.TreeDataProvider<ProcessRow> {
  private model: ViewModel = EMPTY_VIEW_MODEL;
  private isolated = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  show(model: ViewModel, isolatedPidNamespace: boolean): void {
    this.model = model;
    this.isolated = isolatedPidNamespace;
    this.changed.fire();
  }

  getChildren(element?: ProcessRow): ProcessRow[] {
    return [...(element === undefined ? this.model.roots : element.children)];
  }

  getParent(element: ProcessRow): ProcessRow | undefined {
    return this.model.all.find((r) => r.children.some((c) => c.key === element.key));
  }

  getTreeItem(row: ProcessRow): vscode.TreeItem {
    const item = new vscode.TreeItem(
      row.label,
      row.children.length > 0
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.None,
    );
    // Stable across ticks so expansion and selection survive refreshes; pid:starttime so a
    // reused pid is a different item.
    item.id = row.key;
    item.description = describeRow(row);
    item.tooltip = rowTooltip(row, this.isolated);
    item.contextValue = rowContextValue(row);
    item.iconPath = row.terminating
      ? new vscode.ThemeIcon('loading~spin')
      : row.blocking
        ? new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'))
        : row.snoozed
          ? new vscode.ThemeIcon('bell-slash', new vscode.ThemeColor('disabledForeground'))
          : new vscode.ThemeIcon('watch', new vscode.ThemeColor('descriptionForeground'));
    item.accessibilityInformation = { label: `${row.label}, PID ${row.pid}, ${item.description}` };
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Tries of a reveal while the view loads the row (each tick refreshes the tree). */
const REVEAL_ATTEMPTS = 4;
const REVEAL_RETRY_MS = 150;

/**
 * Select (and expand) the row `current()` names at the moment of each try: a view that was just
 * focused, or is refreshing after a tick, may not hold the row's node yet ("Data tree node not
 * found"), so a failed reveal is tried again on the rows of the moment. False when it is gone.
 */
export async function revealRow(
  view: vscode.TreeView<ProcessRow>,
  current: () => ProcessRow | undefined,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    const row = current();
    if (row === undefined) return false;
    try {
      await view.reveal(row, { select: true, focus: true, expand: true });
      return true;
    } catch (err) {
      if (attempt >= REVEAL_ATTEMPTS) throw err;
      await new Promise((resolve) => setTimeout(resolve, REVEAL_RETRY_MS));
    }
  }
}
