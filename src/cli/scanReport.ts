// Rendering a scan for the terminal: the JSON contract (DESIGN.md "Command-line contract") and
// a readable table. Pure: data in, text out.
import type { ProcessSample, ScanResult } from '../proc/types';
import { identityKey } from '../proc/types';
import { formatAge, formatBytes, shortCommand } from '../watchdog/format';
import { englishText } from '../watchdog/notificationText';
import { parentText } from '../watchdog/parentText';
import { sanitize } from '../watchdog/sanitize';
import type { Signal, WatchdogConfig } from '../watchdog/types';
import { diagnosisJson } from './diagnosisJson';
import type { DiagnosisJson } from './diagnosisJson';
import { detailLines } from './diagnosisTable';
import { describeProcess } from './describe';

export interface ScanJson {
  ok: boolean;
  uptimeSeconds: number;
  config: { ageMinutes: number; patterns: readonly string[]; orphansOnly: boolean; procRoot: string };
  processes: (Omit<ProcessSample, 'diagnosis' | 'leftBy'> &
    DiagnosisJson & { key: string; command: string })[];
  signals: { kind: string; key: string; pid: number; starttime: number; active: boolean; detail: string }[];
  stats: ScanResult['stats'];
}

export type ProcessJson = ScanJson['processes'][number];

/** One process as the contract shows it: the sample's fields flattened with its diagnosis. */
export function processJson(sample: ProcessSample): ProcessJson {
  const { diagnosis: _diagnosis, leftBy: _leftBy, ...s } = sample;
  return { ...s, key: identityKey(s), command: shortCommand(s.argv), ...diagnosisJson(sample) };
}

export function scanJson(scan: ScanResult, signals: readonly Signal[], config: WatchdogConfig): ScanJson {
  return {
    ok: scan.ok,
    uptimeSeconds: scan.uptimeSeconds,
    config: {
      ageMinutes: config.ageMinutes,
      patterns: config.patterns,
      orphansOnly: config.orphansOnly,
      procRoot: config.procRoot,
    },
    processes: scan.samples.map(processJson),
    signals: signals.map((s) => ({
      kind: s.kind,
      key: s.key,
      pid: s.pid,
      starttime: s.starttime,
      active: s.active,
      detail: describeProcess(s.sample, config),
    })),
    stats: scan.stats,
  };
}

/** CPU over the last interval; without a second reading, the average over its life (`~`). */
function cpuPercent(s: ProcessSample): string {
  const now = s.diagnosis?.activity.cpuPercent ?? null;
  if (now !== null) return `${Math.round(now)}%`;
  if (s.ageSeconds <= 0) return '-';
  return `~${Math.round((s.cpuSeconds / s.ageSeconds) * 100)}%`;
}

function orphanText(s: ProcessSample): string {
  if (!s.orphaned) return 'no';
  return parentText(s, englishText, (comm) => sanitize(comm, 32));
}

export function scanTable(
  scan: ScanResult,
  signals: readonly Signal[],
  config: WatchdogConfig,
  width = 120,
): string[] {
  const active = new Set(signals.filter((s) => s.active).map((s) => s.key));
  const header = ['', 'PID:START', 'AGE', 'ORPHANED', 'CPU', 'ACTIVITY', 'RSS', 'ST', 'COMMAND'];
  const sorted = [...scan.samples].sort((a, b) => b.ageSeconds - a.ageSeconds);
  const rows = sorted.map((s) => [
    active.has(identityKey(s)) ? '!' : ' ',
    identityKey(s),
    formatAge(s.ageSeconds),
    orphanText(s),
    cpuPercent(s),
    s.diagnosis?.activity.verdict ?? '-',
    formatBytes(s.rssBytes),
    sanitize(s.state, 4),
    shortCommand(s.argv, 200),
  ]);
  // A loop, not Math.max(...rows): a spread of that many arguments throws RangeError.
  const widths = header.map((h, i) => rows.reduce((w, r) => Math.max(w, (r[i] ?? '').length), h.length));
  const line = (cells: readonly string[]): string => {
    const text = cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
    return text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  const cut = (text: string): string => (text.length > width ? `${text.slice(0, width - 1)}…` : text);
  const out = rows.length === 0 ? [] : [line(header)];
  rows.forEach((row, i) => out.push(line(row), ...detailLines(sorted[i]!).map(cut)));
  const threshold = config.ageMinutes > 0 ? `older than ${formatAge(config.ageMinutes * 60)}` : 'any age';
  const blocking = `${active.size} blocking (${threshold}${config.orphansOnly ? ', orphaned only' : ''})`;
  const { stats } = scan;
  out.push(
    `${stats.matched} matched [${sanitize(config.patterns.join(', '), 200)}], ${blocking}; ` +
      `${stats.processes} processes scanned in ${Math.round(stats.durationMs)} ms` +
      (stats.denied > 0 ? `, ${stats.denied} unreadable (permissions)` : '') +
      (stats.vanished > 0 ? `, ${stats.vanished} vanished` : '') +
      (stats.malformed > 0 ? `, ${stats.malformed} malformed` : ''),
  );
  if (active.size > 0) out.push('kill one with: proc-watchdog kill <PID:START>');
  return out;
}
