// Localized text for one process row, shared by the tree, the status bar, the quick pick, the
// report and the test API so all of them say the same thing. Outside text (argv, comm, cwd,
// branch, test ids) is sanitized here, with the sink's own escaping (Markdown code in tooltips).
import * as vscode from 'vscode';
import type { LeftBy, WorkerRole } from '../proc/diagnosisTypes';
import { worstOfRun } from '../watchdog/diagnosisRows';
import type { WorstFact } from '../watchdog/diagnosisRows';
import { formatBytes } from '../watchdog/format';
import { parentText } from '../watchdog/parentText';
import { markdownCode, sanitize } from '../watchdog/sanitize';
import type { GroupRow, ProcessRow, SnoozeEnd } from '../watchdog/viewModel';
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

/** "holds :8000", "98% CPU", "stopped", "idle 40m": the worst fact, in a few words. */
function factText(fact: WorstFact): string {
  switch (fact.kind) {
    case 'port':
      return vscode.l10n.t('holds {0}', sanitize(fact.text, 24));
    case 'cpu':
      return vscode.l10n.t('{0}% CPU', fact.percent);
    case 'state':
      return verdictText(fact.verdict);
    case 'idle':
      return vscode.l10n.t('idle {0}', ageText(fact.seconds));
  }
}

/** The tooltip's Activity: "idle for 40m" once its CPU time has been still a second or more. */
function activityText(row: ProcessRow): string | null {
  if (row.verdict === null) return null;
  const idle = row.verdict === 'idle' ? row.idleSeconds : null;
  return idle !== null && idle >= 1 ? vscode.l10n.t('idle for {0}', ageText(idle)) : verdictText(row.verdict);
}

function verdictText(verdict: NonNullable<ProcessRow['verdict']>): string {
  switch (verdict) {
    case 'spinning':
      return vscode.l10n.t('spinning');
    case 'busy':
      return vscode.l10n.t('busy');
    case 'idle':
      return vscode.l10n.t('idle');
    case 'uninterruptible':
      return vscode.l10n.t('uninterruptible');
    case 'stopped':
      return vscode.l10n.t('stopped');
    case 'zombie':
      return vscode.l10n.t('zombie');
    case 'unknown':
      return vscode.l10n.t('unknown');
  }
}

export function roleText(role: WorkerRole): string {
  switch (role) {
    case 'xdist-worker':
      return vscode.l10n.t('xdist worker');
    case 'server':
      return vscode.l10n.t('server');
    case 'setsid-child':
      return vscode.l10n.t('own session');
    case 'child':
      return vscode.l10n.t('child');
  }
}

/** A row and the workers under it: a run's port is usually held by a worker. */
function runFacts(row: ProcessRow): ProcessRow[] {
  const out = [row];
  for (let i = 0; i < out.length; i++) for (const c of out[i]!.children) if (c.kind === 'worker') out.push(c);
  return out;
}

/**
 * The row description: the age first, then what decides what to do ("terminating…", "snoozed
 * until 14:30"), the worst fact of its run ("holds :8000", "98% CPU"), then "orphaned" or
 * "launcher alive". Short, because the sidebar cuts it at the end. A worker says its role.
 */
export function describeRow(row: ProcessRow): string {
  const fact = worstOfRun(row.kind === 'worker' ? [row] : runFacts(row));
  if (row.kind === 'worker') {
    // Short: an xdist worker says what it does (its role is in the tooltip), others their role too.
    const activity =
      fact !== null
        ? factText(fact)
        : row.verdict === null || row.verdict === 'unknown'
          ? null
          : verdictText(row.verdict);
    const role = row.role === null || row.role === 'xdist-worker' ? null : roleText(row.role);
    return [activity, role].filter((x) => x !== null).join(' · ');
  }
  const parts = [ageText(row.ageSeconds)];
  if (row.terminating) parts.push(vscode.l10n.t('terminating…'));
  else if (row.snoozeEnd !== null) parts.push(snoozeText(row.snoozeEnd));
  if (fact !== null) parts.push(factText(fact));
  if (row.orphaned) parts.push(vscode.l10n.t('orphaned'));
  else if (row.launcher !== null) parts.push(vscode.l10n.t('launcher alive'));
  if (row.sample.containerId !== null) parts.push(vscode.l10n.t('in container'));
  return parts.join(' · ');
}

/** "pytest-12 · test_spawns_a_server0": which run, which test. */
export function describeGroup(group: GroupRow): string {
  const parts = [group.basetempName ?? vscode.l10n.t('basetemp unknown')];
  const [first, ...rest] = group.testDirs;
  if (first !== undefined) parts.push(sanitize(first, 40) + (rest.length > 0 ? ` +${rest.length}` : ''));
  return sanitize(parts.join(' · '), 80);
}

export function groupTooltip(group: GroupRow): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, true);
  md.appendMarkdown(
    `**${vscode.l10n.t('Left behind by tests')}**\n\n${vscode.l10n.t('Their pytest run is gone; no pattern matches them.')}\n\n`,
  );
  if (group.basetemp !== null)
    md.appendMarkdown(
      `${vscode.l10n.t('Basetemp')}: ${markdownCode(group.basetemp, { maxChars: 200, elide: 'middle' })}\n\n`,
    );
  if (group.testDirs.length > 0)
    md.appendMarkdown(
      `${vscode.l10n.t('Tests')}: ${group.testDirs
        .slice(0, 5)
        .map((d) => markdownCode(d, 80))
        .join(', ')}\n`,
    );
  return md;
}

/** "left behind by tests (cwd in pytest-12/test_x0)": why a process no pattern matched shows. */
export function leftByText(leftBy: LeftBy): string {
  const evidence = {
    lineage: vscode.l10n.t('started by a matched run'),
    cwd: vscode.l10n.t('works in a pytest basetemp'),
    argv: vscode.l10n.t('names a pytest basetemp'),
    fd: vscode.l10n.t('holds a file in a pytest basetemp'),
  }[leftBy.evidence];
  return vscode.l10n.t('left behind by tests ({0})', evidence);
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
      return markdownCode(state, 8);
  }
}

/** "tini (PID 1): orphaned" / "bash (PID 812), still running". */
function parentCell(row: ProcessRow): string {
  // A comm is up to 15 characters anyone can choose (prctl PR_SET_NAME): `[a](command:x)` fits.
  const parent = parentText(row.sample, vscode.l10n.t, (comm) => markdownCode(comm, 40));
  return row.orphaned ? vscode.l10n.t('{0}: orphaned', parent) : vscode.l10n.t('{0}, still running', parent);
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
  if (row.role !== null) lines.push([vscode.l10n.t('Role'), roleText(row.role)]);
  if (row.leftBy !== null) lines.push([vscode.l10n.t('Why shown'), leftByText(row.leftBy)]);
  const activity = activityText(row);
  if (activity !== null) lines.push([vscode.l10n.t('Activity'), activity]);
  const cpu = [
    row.cpuNowPercent === null ? null : vscode.l10n.t('{0}% now', Math.round(row.cpuNowPercent)),
    row.cpuPercent === null ? null : vscode.l10n.t('{0}% on average', row.cpuPercent.toFixed(1)),
    vscode.l10n.t('{0} s in total', s.cpuSeconds.toFixed(1)),
  ].filter((x) => x !== null);
  lines.push([vscode.l10n.t('CPU'), cpu.join(', ')]);
  if (row.tests.length > 0) {
    const shown = row.tests.slice(0, TOOLTIP_TESTS).map((t) => markdownCode(t, { maxChars: 120 }));
    const more = row.tests.length - shown.length;
    lines.push([
      vscode.l10n.t('Tests'),
      shown.join(', ') + (more > 0 ? ` ${vscode.l10n.t('+{0} more', more)}` : ''),
    ]);
  }
  const held = row.holds.map((h) => markdownCode(h, { maxChars: 80, elide: 'middle' }));
  if (row.holdsUnknown !== null) held.push(vscode.l10n.t('unknown: {0}', markdownCode(row.holdsUnknown, 40)));
  if (held.length > 0) lines.push([vscode.l10n.t('Holds'), held.join(', ')]);
  if (row.branch !== null) lines.push([vscode.l10n.t('Branch'), markdownCode(row.branch, { maxChars: 80 })]);
  lines.push([vscode.l10n.t('Parent'), parentCell(row)]);
  lines.push([vscode.l10n.t('State'), stateText(s.state)]);
  if (s.rssBytes !== null) lines.push([vscode.l10n.t('Memory'), formatBytes(s.rssBytes)]);
  if (s.cwd !== null)
    lines.push([vscode.l10n.t('Folder'), markdownCode(s.cwd, { maxChars: 120, elide: 'middle' })]);
  if (s.containerId !== null)
    lines.push([vscode.l10n.t('Container'), markdownCode(s.containerId.slice(0, 12))]);
  if (row.leftBy?.basetemp != null)
    lines.push([
      vscode.l10n.t('Basetemp'),
      markdownCode(row.leftBy.basetemp, { maxChars: 120, elide: 'middle' }),
    ]);
  lines.push([vscode.l10n.t('Session'), vscode.l10n.t('{0}, process group {1}', s.sid, s.pgid)]);
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
