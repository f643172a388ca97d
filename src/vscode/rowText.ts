// Localized text for one process row, shared by the tree, the status bar, the report and the
// test API so all of them say the same thing.
import * as vscode from 'vscode';
import { formatBytes } from '../watchdog/format';
import { ageText } from './ageText';
import type { ProcessRow } from '../watchdog/viewModel';

/** "2h 14m · orphaned · in container" — the age badge first, then flags. */
export function describeRow(row: ProcessRow): string {
  const parts = [ageText(row.ageSeconds)];
  if (row.orphaned) parts.push(vscode.l10n.t('orphaned'));
  if (row.sample.containerId !== null) parts.push(vscode.l10n.t('in container'));
  if (row.snoozed) parts.push(vscode.l10n.t('snoozed'));
  return parts.join(' · ');
}

function parentText(row: ProcessRow): string {
  const parent = row.sample.parent;
  if (parent === null) return String(row.sample.ppid);
  return `${parent.pid} (${parent.comm})`;
}

function fenced(text: string): string {
  // A fence longer than any backtick run in the text keeps a command line from breaking out.
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}\n${text}\n${fence}`;
}

export function rowTooltip(row: ProcessRow, isolatedPidNamespace: boolean): vscode.MarkdownString {
  const s = row.sample;
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(
    `**${row.blocking ? vscode.l10n.t('Blocking') : row.snoozed ? vscode.l10n.t('Snoozed') : vscode.l10n.t('Not blocking yet')}**\n\n`,
  );
  md.appendMarkdown(fenced(row.commandLine) + '\n\n');
  const lines: [string, string][] = [
    [vscode.l10n.t('PID'), String(s.pid)],
    [vscode.l10n.t('Start time (ticks after boot)'), String(s.starttime)],
    [vscode.l10n.t('Age'), ageText(s.ageSeconds)],
    [vscode.l10n.t('Parent'), parentText(row) + (s.orphaned ? ` — ${vscode.l10n.t('orphaned')}` : '')],
    [vscode.l10n.t('State'), s.state],
    [vscode.l10n.t('CPU'), row.cpuPercent === null ? '—' : `${row.cpuPercent.toFixed(1)} %`],
    [vscode.l10n.t('Memory (RSS)'), s.rssBytes === null ? '—' : formatBytes(s.rssBytes)],
    [vscode.l10n.t('Working directory'), s.cwd ?? '—'],
    [vscode.l10n.t('Container'), s.containerId === null ? '—' : s.containerId.slice(0, 12)],
  ];
  for (const [name, value] of lines) {
    md.appendMarkdown(`${name}: `);
    md.appendText(value);
    md.appendMarkdown('  \n');
  }
  if (isolatedPidNamespace) {
    md.appendMarkdown('\n---\n\n');
    md.appendText(isolatedNote());
  }
  return md;
}

export function isolatedNote(): string {
  return vscode.l10n.t(
    "This window runs inside a container without the host's PID namespace: only this container's processes are visible.",
  );
}
