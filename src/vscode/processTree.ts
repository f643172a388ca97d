// The "Processes" view: draws the view model, does no I/O and decides nothing.
import * as vscode from 'vscode';
import type { GroupRow, ProcessRow, TreeNode, ViewModel } from '../watchdog/viewModel';
import { EMPTY_VIEW_MODEL } from '../watchdog/viewModel';
import { describeGroup, describeRow, groupTooltip, rowTooltip } from './rowText';

export const VIEW_ID = 'procWatchdog.processes';

/** contextValue that package.json menus gate on (`viewItem == process.blocking`). */
function rowContextValue(row: ProcessRow): string {
  // A worker is signalled with its run (the run's kill lists it); alone it matches no pattern.
  if (row.kind === 'worker') return row.terminating ? 'worker.terminating' : 'worker';
  if (row.terminating) return 'process.terminating';
  if (row.blocking) return 'process.blocking';
  if (row.snoozed) return 'process.snoozed';
  return 'process.waiting';
}

/** A tooltip resolved on hover is kept until the next redraw: one at least this often. */
const TOOLTIP_MAX_AGE_MS = 60_000;

/** What a node's row shows, nested like the tree: the redraw decision compares these. */
function looks(node: TreeNode): unknown {
  const face =
    node.kind === 'group'
      ? [node.key, describeGroup(node)]
      : [
          node.key,
          node.label,
          describeRow(node),
          rowContextValue(node),
          node.terminating,
          node.blocking,
          node.snoozed,
        ];
  return [face, node.children.map(looks)];
}

export class ProcessTreeProvider implements vscode.TreeDataProvider<TreeNode> {
  private model: ViewModel = EMPTY_VIEW_MODEL;
  private parents = new Map<string, TreeNode>();
  private nodes = new Map<string, TreeNode>();
  /** What the last redraw showed (see `show`); null before the first. */
  private drawn: string | null = null;
  private isolated = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this.changed.event;

  /**
   * Takes the model of a tick; redraws only when a row would look different (labels,
   * descriptions, icons, menus, nesting), and at least once a minute. Each redraw closes an open
   * tooltip, and a tick that changes nothing visible (most of them, once an age reads in minutes)
   * would do just that. VS Code resolves a tooltip once per drawn item, so the minute bounds how
   * old a tooltip's CPU and idle figures can be (an age in days changes its badge hourly).
   */
  show(model: ViewModel, isolatedPidNamespace: boolean): void {
    this.model = model;
    this.isolated = isolatedPidNamespace;
    this.parents = new Map();
    this.nodes = new Map();
    const note = (node: TreeNode): void => {
      this.nodes.set(node.key, node);
      for (const child of node.children) {
        this.parents.set(child.key, node);
        note(child);
      }
    };
    model.tree.forEach(note);
    const minute = Math.floor((model.lastScan?.atMs ?? 0) / TOOLTIP_MAX_AGE_MS);
    const drawn = JSON.stringify([minute, model.tree.map(looks)]);
    if (drawn === this.drawn) return;
    this.drawn = drawn;
    this.changed.fire();
  }

  getChildren(element?: TreeNode): TreeNode[] {
    return [...(element === undefined ? this.model.tree : element.children)];
  }

  getParent(element: TreeNode): TreeNode | undefined {
    return this.parents.get(element.key);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.kind === 'group' ? this.groupItem(node) : this.rowItem(node);
  }

  /**
   * The tooltip, built when the pointer rests on a row, from the tick of that moment: its times
   * and CPU figures change every tick without a redraw (see `show`).
   */
  resolveTreeItem(item: vscode.TreeItem, node: TreeNode): vscode.TreeItem {
    const now = this.nodes.get(node.key) ?? node;
    item.tooltip = now.kind === 'group' ? groupTooltip(now) : rowTooltip(now, this.isolated);
    return item;
  }

  /** "Left behind by tests": the run is gone; its basetemp tells which run it was. */
  private groupItem(group: GroupRow): vscode.TreeItem {
    const label = vscode.l10n.t('Left behind by tests');
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.Expanded);
    item.id = group.key;
    item.description = describeGroup(group);
    item.contextValue = 'leftBehindGroup';
    item.iconPath = new vscode.ThemeIcon('debug-disconnect');
    item.accessibilityInformation = { label: `${label}, ${item.description}` };
    return item;
  }

  private rowItem(row: ProcessRow): vscode.TreeItem {
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
  view: vscode.TreeView<TreeNode>,
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
