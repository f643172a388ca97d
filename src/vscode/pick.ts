// Quick picks: which processes (Kill Process…, Snooze…, Unsnooze…) and for how long (Snooze…).
// Each process item reads like its row: the label (capped, elided in the middle) on the first
// line, then PID, age, orphan flag and CPU on the second, where nothing cuts the PID off.
import * as vscode from 'vscode';
import type { SnoozeFor } from '../watchdog/alertState';
import { rowLabel } from '../watchdog/rowLabel';
import type { ProcessRow } from '../watchdog/viewModel';

/** A quick pick is wider than the sidebar: labels keep more of the command. */
const PICK_LABEL_CHARS = 64;
import { ageText } from './ageText';
import { snoozeText } from './rowText';
import { notify } from './messages';

interface RowItem extends vscode.QuickPickItem {
  readonly row?: ProcessRow;
  /** "All orphaned runs": stands for every orphaned root. */
  readonly allOrphans?: true;
}

function rowIcon(row: ProcessRow): string {
  if (row.terminating) return '$(loading~spin)';
  if (row.blocking) return '$(warning)';
  return row.snoozed ? '$(bell-slash)' : '$(watch)';
}

/** "PID 4242 · 2h 14m · orphaned onto tini · 3% CPU" */
function itemDetail(row: ProcessRow): string {
  const parts = [vscode.l10n.t('PID {0}', row.pid), ageText(row.ageSeconds)];
  if (row.orphaned) parts.push(vscode.l10n.t('orphaned'));
  else if (row.launcher !== null) parts.push(vscode.l10n.t('launcher alive'));
  const cpu = row.cpuNowPercent ?? row.cpuPercent;
  if (cpu !== null) parts.push(vscode.l10n.t('{0}% CPU', Math.round(cpu)));
  if (row.snoozeEnd !== null) parts.push(snoozeText(row.snoozeEnd));
  return parts.join(' · ');
}

/** Depth-first, as the tree shows them: roots by severity, each followed by its workers. */
function inTreeOrder(roots: readonly ProcessRow[]): { row: ProcessRow; depth: number }[] {
  const out: { row: ProcessRow; depth: number }[] = [];
  const walk = (rows: readonly ProcessRow[], depth: number): void => {
    for (const row of rows) {
      // Workers are signalled with their run, never picked alone (no pattern matches them).
      if (row.kind === 'worker') continue;
      out.push({ row, depth });
      walk(row.children, depth + 1);
    }
  };
  walk(roots, 0);
  return out;
}

export interface PickRowsOptions {
  readonly placeHolder: string;
  readonly filter: (row: ProcessRow) => boolean;
  /** Offer "All orphaned runs" (the kill). */
  readonly offerAllOrphans?: boolean;
  /** Pre-selected keys (the processes a notification was about). */
  readonly picked?: readonly string[];
}

/** Several rows, or [] when cancelled or none qualifies (said in a message). */
export async function pickRows(roots: readonly ProcessRow[], opts: PickRowsOptions): Promise<ProcessRow[]> {
  const rows = inTreeOrder(roots).filter(({ row }) => opts.filter(row));
  if (rows.length === 0) {
    void notify('information', vscode.l10n.t('Proc Watchdog: no matching process is shown.'));
    return [];
  }
  const orphanRoots = roots.filter((r) => r.orphaned && opts.filter(r));
  const items: RowItem[] = [];
  if (opts.offerAllOrphans === true && orphanRoots.length > 1)
    items.push(
      {
        label: `$(debug-disconnect) ${vscode.l10n.t('All orphaned runs')}`,
        description: vscode.l10n.t('{0} runs', orphanRoots.length),
        allOrphans: true,
      },
      { label: '', kind: vscode.QuickPickItemKind.Separator },
    );
  for (const { row, depth } of rows)
    items.push({
      label: `${'\u2003'.repeat(depth)}${rowIcon(row)} ${rowLabel(row.sample, PICK_LABEL_CHARS)}`,
      detail: itemDetail(row),
      picked: opts.picked?.includes(row.key) ?? false,
      row,
    });
  const chosen = await vscode.window.showQuickPick(items, {
    placeHolder: opts.placeHolder,
    canPickMany: true,
    matchOnDetail: true,
  });
  if (chosen === undefined) return [];
  const picked = chosen.flatMap((i) => (i.row === undefined ? [] : [i.row]));
  const all = chosen.some((i) => i.allOrphans === true) ? orphanRoots : [];
  return [...new Map([...all, ...picked].map((r) => [r.key, r])).values()];
}

/** 1 h, until restart, or for as long as this process runs; undefined when cancelled. */
export async function pickSnooze(count: number): Promise<SnoozeFor | undefined> {
  const items: (vscode.QuickPickItem & { value: SnoozeFor })[] = [
    { label: `$(clock) ${vscode.l10n.t('For 1 hour')}`, value: { seconds: 3600 } },
    {
      label: `$(debug-restart) ${vscode.l10n.t('Until VS Code restarts')}`,
      description: vscode.l10n.t('or this window reloads'),
      value: 'session',
    },
    {
      label: `$(bell-slash) ${vscode.l10n.t('While it runs')}`,
      description: vscode.l10n.t('this process only: a new run alerts again'),
      value: 'process',
    },
  ];
  const chosen = await vscode.window.showQuickPick(items, {
    placeHolder:
      count === 1
        ? vscode.l10n.t('Snooze alerts about this process…')
        : vscode.l10n.t('Snooze alerts about these {0} processes…', count),
  });
  return chosen?.value;
}
