// "Copy Report": a Markdown table of exactly what the view shows, for an issue or a chat. Pure
// (`l10n` comes in, see ageText.ts). Outside text (command lines, parents, the host name) goes
// in as code spans with `|` escaped for the table (markdownCode tableCell): pasted into an issue,
// it cannot become a link, an image or a broken table.
import type * as vscode from 'vscode';
import { formatBytes } from '../watchdog/format';
import { markdownCode } from '../watchdog/sanitize';
import type { ProcessRow, ViewModel } from '../watchdog/viewModel';
import { ageText } from './ageText';

/** What this needs of vscode.l10n (a stand-in in unit tests). */
type L10n = Pick<typeof vscode.l10n, 't'>;

const cellCode = (text: string): string => markdownCode(text, { maxChars: 1000, tableCell: true });

function walk(rows: readonly ProcessRow[], depth: number, out: string[], l10n: L10n): void {
  for (const row of rows) {
    const status = row.blocking ? l10n.t('blocking') : row.snoozed ? l10n.t('snoozed') : l10n.t('waiting');
    const indent = depth > 0 ? '↳ '.padStart(depth * 2 + 2, ' ') : '';
    const cpu = row.cpuPercent === null ? '—' : row.cpuPercent.toFixed(1);
    out.push(
      `| ${row.pid} | ${ageText(row.ageSeconds, l10n)} | ${status} | ${row.orphaned ? l10n.t('yes') : l10n.t('no')} | ${cellCode(row.text.parent)} | ${cpu} | ${formatBytes(row.sample.rssBytes)} | ${indent}${cellCode(row.commandLine)} |`,
    );
    walk(row.children, depth + 1, out, l10n);
  }
}

export function markdownReport(model: ViewModel, hostName: string, l10n: L10n): string {
  const out: string[] = [];
  const at = model.lastScan === null ? '—' : new Date(model.lastScan.atMs).toISOString();
  out.push(`### ${l10n.t('Proc Watchdog report')} — ${markdownCode(hostName, 100)}, ${at}`, '');
  if (model.lastScan !== null) {
    const s = model.lastScan.stats;
    out.push(
      l10n.t(
        '{0} processes scanned, {1} matched, {2} blocking.',
        s.processes,
        s.matched,
        model.blockingCount,
      ),
      '',
    );
  }
  if (model.all.length === 0) {
    out.push(l10n.t('No matching process.'));
    return out.join('\n') + '\n';
  }
  out.push(
    `| PID | ${[l10n.t('Age'), l10n.t('Status'), l10n.t('Orphaned'), l10n.t('Parent'), l10n.t('CPU %'), 'RSS', l10n.t('Command')].join(' | ')} |`,
    '|---:|---|---|---|---|---:|---:|---|',
  );
  walk(model.roots, 0, out, l10n);
  return out.join('\n') + '\n';
}
