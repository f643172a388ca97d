// Localized text for one process row, shared by the tree, the status bar, the report and the
// test API so all of them say the same thing. Pure: `l10n` comes in (see ageText.ts), and the
// Markdown is returned as text for the adapters to wrap in a vscode.MarkdownString.
// Outside text (command line, parent, cwd, state, container) enters Markdown only as a code
// span (markdownCode): nothing in it can become emphasis, a link or HTML.
import type * as vscode from 'vscode';
import { formatBytes } from '../watchdog/format';
import { markdownCode } from '../watchdog/sanitize';
import type { ProcessRow, ViewModel } from '../watchdog/viewModel';
import { ageText } from './ageText';

/** What this needs of vscode.l10n (a stand-in in unit tests). */
type L10n = Pick<typeof vscode.l10n, 't'>;

/** "2h 14m · orphaned · in container" — the age badge first, then flags. */
export function describeRow(row: ProcessRow, l10n: L10n): string {
  const parts = [ageText(row.ageSeconds, l10n)];
  if (row.orphaned) parts.push(l10n.t('orphaned'));
  if (row.sample.containerId !== null) parts.push(l10n.t('in container'));
  if (row.snoozed) parts.push(l10n.t('snoozed'));
  return parts.join(' · ');
}

/** The row's tooltip, as Markdown source. */
export function rowTooltipMarkdown(row: ProcessRow, isolatedPidNamespace: boolean, l10n: L10n): string {
  const s = row.sample;
  const status = row.blocking
    ? l10n.t('Blocking')
    : row.snoozed
      ? l10n.t('Snoozed')
      : l10n.t('Not blocking yet');
  const code = (text: string | null): string => (text === null ? '—' : markdownCode(text, 1000));
  const lines: [string, string][] = [
    [l10n.t('PID'), String(s.pid)],
    [l10n.t('Start time (ticks after boot)'), String(s.starttime)],
    [l10n.t('Age'), ageText(s.ageSeconds, l10n)],
    [l10n.t('Parent'), code(row.text.parent) + (s.orphaned ? ` — ${l10n.t('orphaned')}` : '')],
    [l10n.t('State'), code(row.text.state)],
    [l10n.t('CPU'), row.cpuPercent === null ? '—' : `${row.cpuPercent.toFixed(1)} %`],
    [l10n.t('Memory (RSS)'), s.rssBytes === null ? '—' : formatBytes(s.rssBytes)],
    [l10n.t('Working directory'), code(row.text.cwd)],
    [l10n.t('Container'), code(row.text.container)],
  ];
  const out = [`**${status}**`, '', code(row.commandLine), ''];
  for (const [name, value] of lines) out.push(`${name}: ${value}  `);
  if (isolatedPidNamespace) out.push('', '---', '', isolatedNote(l10n));
  return out.join('\n');
}

const MAX_LISTED = 8;

/** The status-bar item's tooltip, as Markdown source: the blocking rows, oldest first. */
export function statusTooltipMarkdown(model: ViewModel, isolatedPidNamespace: boolean, l10n: L10n): string {
  const blocking = model.all.filter((r) => r.blocking);
  const out: string[] = [];
  if (blocking.length === 0) {
    out.push(l10n.t('Proc Watchdog: no process is blocking.'));
  } else {
    out.push(l10n.t('Proc Watchdog: {0} blocking', blocking.length), '');
    for (const row of blocking.slice(0, MAX_LISTED))
      out.push(`- ${markdownCode(row.label)} — PID ${row.pid}, ${ageText(row.ageSeconds, l10n)}`);
    if (blocking.length > MAX_LISTED) out.push('', l10n.t('…and {0} more', blocking.length - MAX_LISTED));
  }
  if (isolatedPidNamespace) out.push('', '---', '', isolatedNote(l10n));
  return out.join('\n');
}

export function isolatedNote(l10n: L10n): string {
  return l10n.t(
    "This window runs inside a container without the host's PID namespace: only this container's processes are visible.",
  );
}
