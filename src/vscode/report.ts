// "Copy Report": a Markdown table of exactly what the view shows, for an issue or a chat.
import * as vscode from 'vscode';
import { formatBytes } from '../watchdog/format';
import { ageText } from './ageText';
import type { ProcessRow, ViewModel } from '../watchdog/viewModel';

function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/`/g, "'").replace(/\r?\n/g, ' ');
}

function walk(rows: readonly ProcessRow[], depth: number, out: string[]): void {
  for (const row of rows) {
    const status = row.blocking
      ? vscode.l10n.t('blocking')
      : row.snoozed
        ? vscode.l10n.t('snoozed')
        : vscode.l10n.t('waiting');
    const indent = depth > 0 ? '↳ '.padStart(depth * 2 + 2, ' ') : '';
    const parent =
      row.sample.parent === null
        ? String(row.sample.ppid)
        : `${row.sample.parent.pid} (${row.sample.parent.comm})`;
    out.push(
      `| ${row.pid} | ${ageText(row.ageSeconds)} | ${status} | ${row.orphaned ? vscode.l10n.t('yes') : vscode.l10n.t('no')} | ${cell(parent)} | ${row.cpuPercent === null ? '—' : row.cpuPercent.toFixed(1)} | ${formatBytes(row.sample.rssBytes)} | \`${cell(indent + row.commandLine)}\` |`,
    );
    walk(row.children, depth + 1, out);
  }
}

export function markdownReport(model: ViewModel, hostName: string): string {
  const out: string[] = [];
  const at = model.lastScan === null ? '—' : new Date(model.lastScan.atMs).toISOString();
  out.push(`### ${vscode.l10n.t('Proc Watchdog report')} — ${cell(hostName)}, ${at}`, '');
  if (model.lastScan !== null) {
    const s = model.lastScan.stats;
    out.push(
      vscode.l10n.t(
        '{0} processes scanned, {1} matched, {2} blocking.',
        s.processes,
        s.matched,
        model.blockingCount,
      ),
      '',
    );
  }
  if (model.all.length === 0) {
    out.push(vscode.l10n.t('No matching process.'));
    return out.join('\n') + '\n';
  }
  out.push(
    `| PID | ${[vscode.l10n.t('Age'), vscode.l10n.t('Status'), vscode.l10n.t('Orphaned'), vscode.l10n.t('Parent'), vscode.l10n.t('CPU %'), 'RSS', vscode.l10n.t('Command')].join(' | ')} |`,
    '|---:|---|---|---|---|---:|---:|---|',
  );
  walk(model.roots, 0, out);
  return out.join('\n') + '\n';
}
