// Localized text for one process row, shared by the tree, the status bar, the quick pick, the
// report and the test API so all of them say the same thing. Outside text (argv, comm, cwd,
// branch, test ids) is sanitized here, with the sink's own escaping (Markdown code in tooltips).
import * as vscode from 'vscode';
import { formatBytes } from '../watchdog/format';
import { markdownCode, sanitize } from '../watchdog/sanitize';
import type { ProcessRow, SnoozeEnd } from '../watchdog/viewModel';
import { ageText } from './ageText';

/** How much of a command line a tooltip shows (elided in the middle beyond that). */
const TOOLTIP_COMMAND_CHARS = 600;
const TOOLTIP_TESTS = 5;

/** "until 14:30", "until restart", "while it runs". */
export function snoozeText(end: SnoozeEnd): string {
  switch (end.kind) {
    case 'time':
      return vscode.l10n.t(
        'snoozed until {0}',
        new Date(end.atMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' }),
      );
    case 'session':
      return vscode.l10n.t('snoozed until restart');
    case 'process':
      return vscode.l10n.t('snoozed while it runs');
  }
}

/** CPU now when sampled, else the lifetime average; null when neither is known. */
function cpuFact(row: ProcessRow): string | null {
  if (row.cpuNowPercent !== null) return vscode.l10n.t('{0}% CPU', Math.round(row.cpuNowPercent));
  return null;
}

/**
 * The row description: the age first, then the one fact that decides what to do ("terminating…",
 * "orphaned", "launcher alive", "snoozed until 14:30"), then what diagnosis adds. Short, because
 * the sidebar cuts it at the end.
 */
export function describeRow(row: ProcessRow): string {
  const parts = [ageText(row.ageSeconds)];
  if (row.terminating) parts.push(vscode.l10n.t('terminating…'));
  else if (row.snoozeEnd !== null) parts.push(snoozeText(row.snoozeEnd));
  if (row.orphaned) parts.push(vscode.l10n.t('orphaned'));
  else if (row.launcher !== null) parts.push(vscode.l10n.t('launcher alive'));
  const cpu = cpuFact(row);
  if (cpu !== null) parts.push(cpu);
  if (row.holds[0] !== undefined) parts.push(vscode.l10n.t('holds {0}', sanitize(row.holds[0], 24)));
  if (row.sample.containerId !== null) parts.push(vscode.l10n.t('in container'));
  return parts.join(' · ');
}

/** proc(5) stat field 3, spelled out. */
function stateText(state: string): string {
  switch (state) {
    case 'R':
      return vscode.l10n.t('Running');
    case 'S':
      return vscode.l10n.t('Sleeping');
    case 'D':
      return vscode.l10n.t('Waiting on disk (uninterruptible)');
    case 'T':
      return vscode.l10n.t('Stopped');
    case 't':
      return vscode.l10n.t('Stopped by a debugger');
    case 'Z':
      return vscode.l10n.t('Zombie (exited, not yet reaped)');
    case 'I':
      return vscode.l10n.t('Idle');
    default:
      return sanitize(state, 8);
  }
}

/** "tini (PID 1): orphaned" / "bash (PID 812), still running". */
function parentText(row: ProcessRow): string {
  const s = row.sample;
  const parent = s.parent;
  if (parent === null) {
    if (s.ppid === 0) return vscode.l10n.t('outside this PID namespace: orphaned');
    return vscode.l10n.t('PID {0}', s.ppid);
  }
  const comm = sanitize(parent.comm, 40);
  return row.orphaned
    ? vscode.l10n.t('{0} (PID {1}): orphaned', comm, parent.pid)
    : vscode.l10n.t('{0} (PID {1}), still running', comm, parent.pid);
}

function statusTitle(row: ProcessRow): string {
  if (row.terminating) return vscode.l10n.t('Terminating');
  if (row.blocking) return vscode.l10n.t('Blocking');
  if (row.snoozeEnd !== null) return snoozeText(row.snoozeEnd);
  return vscode.l10n.t('Not blocking yet');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

/** A fenced block no backtick run inside can close (CommonMark 4.5): one longer than any. */
function codeBlock(text: string): string {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text.charCodeAt(i) === 0x60 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}\n${text}\n${fence}\n`;
}

/**
 * A compact table, in the order a developer asks: how long, how hard it works, which tests, what
 * it holds, which branch; then the parent, state and the rest; the command line last, clamped.
 */
export function rowTooltip(row: ProcessRow, isolatedPidNamespace: boolean): vscode.MarkdownString {
  const s = row.sample;
  const lines: [string, string][] = [[vscode.l10n.t('Running for'), ageText(row.ageSeconds)]];
  const cpu = [
    row.cpuNowPercent === null ? null : vscode.l10n.t('{0}% now', Math.round(row.cpuNowPercent)),
    row.cpuPercent === null ? null : vscode.l10n.t('{0}% on average', row.cpuPercent.toFixed(1)),
  ].filter((x) => x !== null);
  if (cpu.length > 0) lines.push([vscode.l10n.t('CPU'), cpu.join(', ')]);
  if (row.tests.length > 0) {
    const shown = row.tests.slice(0, TOOLTIP_TESTS).map((t) => markdownCode(t, { maxChars: 120 }));
    const more = row.tests.length - shown.length;
    lines.push([
      vscode.l10n.t('Tests'),
      shown.join(', ') + (more > 0 ? ` ${vscode.l10n.t('+{0} more', more)}` : ''),
    ]);
  }
  if (row.holds.length > 0)
    lines.push([vscode.l10n.t('Holds'), row.holds.map((h) => markdownCode(h, { maxChars: 80 })).join(', ')]);
  if (row.branch !== null) lines.push([vscode.l10n.t('Branch'), markdownCode(row.branch, { maxChars: 80 })]);
  lines.push([vscode.l10n.t('Parent'), parentText(row)]);
  lines.push([vscode.l10n.t('State'), stateText(s.state)]);
  if (s.rssBytes !== null) lines.push([vscode.l10n.t('Memory'), formatBytes(s.rssBytes)]);
  if (s.cwd !== null)
    lines.push([vscode.l10n.t('Folder'), markdownCode(s.cwd, { maxChars: 120, elide: 'middle' })]);
  if (s.containerId !== null)
    lines.push([vscode.l10n.t('Container'), markdownCode(s.containerId.slice(0, 12))]);
  lines.push([vscode.l10n.t('PID'), String(s.pid)]);

  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(`| **${cell(statusTitle(row))}** | |\n|:--|:--|\n`);
  for (const [name, value] of lines) md.appendMarkdown(`| ${cell(name)} | ${cell(value)} |\n`);
  md.appendMarkdown('\n');
  md.appendMarkdown(
    codeBlock(sanitize(row.commandLine, { maxChars: TOOLTIP_COMMAND_CHARS, elide: 'middle' })),
  );
  if (isolatedPidNamespace) {
    md.appendMarkdown('\n---\n\n');
    md.appendText(isolatedNote());
  }
  return md;
}

export function isolatedNote(): string {
  return vscode.l10n.t(
    "This window runs inside a container with its own PID namespace: only this container's processes are visible.",
  );
}
