// "Copy Report": a Markdown table of exactly what the view shows, for an issue or a chat: what
// runs, where (cwd, branch, session), what it is doing (CPU now, average, total; its tests and
// its workers' as rows of their own), what it holds, why a process no pattern matched is there
// (left behind by tests), and how it stands. Command lines leave the machine here: secrets in
// them are redacted (src/watchdog/redact.ts) before they are sanitized.
import * as vscode from 'vscode';
import { displayCommand, formatBytes } from '../watchdog/format';
import { parentText } from '../watchdog/parentText';
import { redactArgv } from '../watchdog/redact';
import { markdownCode } from '../watchdog/sanitize';
import { ageText } from './ageText';
import { leftByText, roleText } from './rowText';
import type { ProcessRow, ViewModel } from '../watchdog/viewModel';

/**
 * Outside text in a table cell: a code span (markdownCode: sanitized, nothing inside it becomes a
 * link, emphasis or HTML once the report is pasted into an issue), its pipes escaped for the table.
 */
function cell(text: string, maxChars = 200): string {
  return markdownCode(text, { maxChars, elide: 'middle', tableCell: true });
}

/** "w2: tests/a.py::t1, tests/b.py::t2": the tests of a row (its own, or its workers' count). */
function testsCell(row: ProcessRow): string {
  if (row.tests.length > 0) return cell(row.tests.join(', '), 160);
  return row.children.length > 0 ? vscode.l10n.t('{0} workers', row.children.length) : '—';
}

const percent = (value: number | null): string => (value === null ? '—' : value.toFixed(1));

/** "blocking", "xdist worker", "blocking · left behind by tests (…) · `pytest-12/test_x0`". */
function statusCell(row: ProcessRow): string {
  const parts = [
    row.kind === 'worker' && row.role !== null
      ? roleText(row.role)
      : row.terminating
        ? vscode.l10n.t('terminating')
        : row.blocking
          ? vscode.l10n.t('blocking')
          : row.snoozed
            ? vscode.l10n.t('snoozed')
            : vscode.l10n.t('waiting'),
  ];
  const leftBy = row.leftBy;
  if (leftBy !== null) {
    parts.push(leftByText(leftBy));
    const where = [leftBy.basetemp, leftBy.testDir].filter((x) => x !== null).join('/');
    if (where !== '') parts.push(cell(where, 160));
  }
  return parts.join(' · ');
}

function holdsCell(row: ProcessRow): string {
  const held = row.holds.length > 0 ? cell(row.holds.join(', '), 200) : '—';
  return row.holdsUnknown === null
    ? held
    : `${held} (${vscode.l10n.t('unknown: {0}', cell(row.holdsUnknown, 40))})`;
}

function walk(rows: readonly ProcessRow[], depth: number, out: string[]): void {
  for (const row of rows) {
    const status = statusCell(row);
    const indent = depth > 0 ? '↳ '.padStart(depth * 2 + 2, ' ') : '';
    // Escaped once, by the cell below (a code span).
    const parent = parentText(row.sample, vscode.l10n.t, (comm) => comm);
    const s = row.sample;
    const command = s.argv.length > 0 ? displayCommand(redactArgv(s.argv)) : `[${s.comm}]`;
    const cells = [
      String(row.pid),
      ageText(row.ageSeconds),
      status,
      row.orphaned ? vscode.l10n.t('yes') : vscode.l10n.t('no'),
      cell(parent, 60),
      `${percent(row.cpuNowPercent)} / ${percent(row.cpuPercent)} / ${s.cpuSeconds.toFixed(1)} s`,
      formatBytes(s.rssBytes),
      holdsCell(row),
      s.cwd === null ? '—' : cell(s.cwd, 120),
      row.branch === null ? '—' : cell(row.branch, 60),
      `${s.sid} / ${s.pgid}`,
      testsCell(row),
      `${indent}${cell(command, 400)}`,
    ];
    out.push(`| ${cells.join(' | ')} |`);
    walk(row.children, depth + 1, out);
  }
}

export function markdownReport(model: ViewModel, hostName: string, advice = ''): string {
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
  if (advice !== '') out.push(advice, ''); // our own words and numbers: no outside text
  if (model.all.length === 0) {
    out.push(vscode.l10n.t('No matching process.'));
    return out.join('\n') + '\n';
  }
  out.push(
    `| PID | ${[vscode.l10n.t('Age'), vscode.l10n.t('Status'), vscode.l10n.t('Orphaned'), vscode.l10n.t('Parent'), vscode.l10n.t('CPU % now / avg / total'), 'RSS', vscode.l10n.t('Holds'), vscode.l10n.t('Folder'), vscode.l10n.t('Branch'), vscode.l10n.t('Session / group'), vscode.l10n.t('Workers / tests'), vscode.l10n.t('Command')].join(' | ')} |`,
    '|---:|---|---|---|---|---:|---:|---|---|---|---|---|---|',
  );
  walk(model.roots, 0, out);
  return out.join('\n') + '\n';
}
