// "Copy Report": a Markdown table of exactly what the view shows, for an issue or a chat: what
// runs, where (cwd, branch), what it is doing (tests of its workers), and how it stands.
import * as vscode from 'vscode';
import { formatBytes } from '../watchdog/format';
import { sanitize } from '../watchdog/sanitize';
import { ageText } from './ageText';
import type { ProcessRow, ViewModel } from '../watchdog/viewModel';

/** Outside text in a table cell: sanitized (no newlines left), no pipe, no backtick. */
function cell(text: string, maxChars = 200): string {
  return sanitize(text, { maxChars, elide: 'middle' })
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'");
}

/** "w2: tests/a.py::t1, tests/b.py::t2": the tests of a row (its own, or its workers' count). */
function testsCell(row: ProcessRow): string {
  if (row.tests.length > 0) return cell(row.tests.join(', '), 160);
  return row.children.length > 0 ? vscode.l10n.t('{0} workers', row.children.length) : '—';
}

function walk(rows: readonly ProcessRow[], depth: number, out: string[]): void {
  for (const row of rows) {
    const status = row.terminating
      ? vscode.l10n.t('terminating')
      : row.blocking
        ? vscode.l10n.t('blocking')
        : row.snoozed
          ? vscode.l10n.t('snoozed')
          : vscode.l10n.t('waiting');
    const indent = depth > 0 ? '↳ '.padStart(depth * 2 + 2, ' ') : '';
    const parent =
      row.sample.parent === null
        ? String(row.sample.ppid)
        : `${row.sample.parent.pid} (${row.sample.parent.comm})`;
    const cpu = row.cpuNowPercent ?? row.cpuPercent;
    const cells = [
      String(row.pid),
      ageText(row.ageSeconds),
      status,
      row.orphaned ? vscode.l10n.t('yes') : vscode.l10n.t('no'),
      cell(parent, 60),
      cpu === null ? '—' : cpu.toFixed(1),
      formatBytes(row.sample.rssBytes),
      row.sample.cwd === null ? '—' : `\`${cell(row.sample.cwd, 120)}\``,
      row.branch === null ? '—' : `\`${cell(row.branch, 60)}\``,
      testsCell(row),
      `\`${cell(indent + row.commandLine, 400)}\``,
    ];
    out.push(`| ${cells.join(' | ')} |`);
    walk(row.children, depth + 1, out);
  }
}

export function markdownReport(model: ViewModel, hostName: string): string {
  const out: string[] = [];
  const at = model.lastScan === null ? '—' : new Date(model.lastScan.atMs).toISOString();
  out.push(`### ${vscode.l10n.t('Proc Watchdog report')} — ${cell(hostName, 80)}, ${at}`, '');
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
    `| PID | ${[vscode.l10n.t('Age'), vscode.l10n.t('Status'), vscode.l10n.t('Orphaned'), vscode.l10n.t('Parent'), vscode.l10n.t('CPU %'), 'RSS', vscode.l10n.t('Folder'), vscode.l10n.t('Branch'), vscode.l10n.t('Workers / tests'), vscode.l10n.t('Command')].join(' | ')} |`,
    '|---:|---|---|---|---|---:|---:|---|---|---|---|',
  );
  walk(model.roots, 0, out);
  return out.join('\n') + '\n';
}
