// What the tree, the status bar, the report and the test API draw, derived from one tick.
// Pure and free of `vscode` so it can be unit-tested; the adapters only render it.
// Every string of a row meant for display is sanitized here, once (DESIGN "Outside text is
// hostile"): the adapters draw `label`, `commandLine` and `text`, never the raw `sample`.
import type { ScanResult, ScanStats } from '../proc/types';
import type { Signal } from './types';
import type { ProcessSample } from '../proc/types';
import { displayCommand, shortCommand } from './format';
import { sanitize } from './sanitize';

/** Cap of a short outside name on a row (comm, pattern, state). */
const MAX_NAME_CHARS = 64;
/** Cap of a path on a row (cwd). */
const MAX_PATH_CHARS = 300;

/** A row's outside strings, sanitized and capped for display. */
export interface RowText {
  /** comm (stat field 2). */
  readonly comm: string;
  /** `1234 (tini)`, or the ppid alone when the parent could not be read. */
  readonly parent: string;
  /** The parent's comm, or null when unknown. */
  readonly parentComm: string | null;
  readonly cwd: string | null;
  /** The container id's first 12 hex digits (docker's short id), null when not in one. */
  readonly container: string | null;
  /** stat field 3 (R, S, D, …). */
  readonly state: string;
  /** The configured pattern that matched. */
  readonly pattern: string;
}

export interface ProcessRow {
  readonly key: string;
  readonly pid: number;
  readonly starttime: number;
  /** What is being tested, e.g. `pytest -x tests/unit`. Sanitized. */
  readonly label: string;
  /** The full command line, for tooltips, the kill modal and the report. Sanitized, capped. */
  readonly commandLine: string;
  /** The other outside strings, sanitized. */
  readonly text: RowText;
  readonly ageSeconds: number;
  /** Active signal and not snoozed: this process counts, and is drawn as a warning. */
  readonly blocking: boolean;
  /** Active but snoozed by the user. */
  readonly snoozed: boolean;
  readonly orphaned: boolean;
  /** The scan's data, raw: for decisions and the kill's identity, never to be shown as is. */
  readonly sample: ProcessSample;
  /** Average CPU use over the process's life, percent of one core; null when age is 0. */
  readonly cpuPercent: number | null;
  /** Matched descendants (xdist workers, subprocesses), nested under their matched ancestor. */
  readonly children: readonly ProcessRow[];
}

export interface LastScan {
  readonly ok: boolean;
  /** Why the scan failed (sanitized: it names the configured proc root). */
  readonly error: string | null;
  readonly stats: ScanStats;
  /** Wall clock of the scan, ms, for "last scan at". */
  readonly atMs: number;
}

export interface ViewModel {
  /** Top-level rows (roots), oldest first. */
  readonly roots: readonly ProcessRow[];
  /** Every row, flat. */
  readonly all: readonly ProcessRow[];
  readonly blockingCount: number;
  readonly lastScan: LastScan | null;
}

export const EMPTY_VIEW_MODEL: ViewModel = { roots: [], all: [], blockingCount: 0, lastScan: null };

export function rowText(s: ProcessSample): RowText {
  const parentComm = s.parent === null ? null : sanitize(s.parent.comm, MAX_NAME_CHARS);
  return {
    comm: sanitize(s.comm, MAX_NAME_CHARS),
    parent: s.parent === null ? String(s.ppid) : `${s.parent.pid} (${parentComm})`,
    parentComm,
    cwd: s.cwd === null ? null : sanitize(s.cwd, { maxChars: MAX_PATH_CHARS, elide: 'middle' }),
    container: s.containerId === null ? null : sanitize(s.containerId.slice(0, 12), 12),
    state: sanitize(s.state, 8),
    pattern: sanitize(s.pattern, MAX_NAME_CHARS),
  };
}

interface MutableRow extends Omit<ProcessRow, 'children'> {
  children: MutableRow[];
}

function toRow(signal: Signal, snoozedKeys: ReadonlySet<string>): MutableRow {
  const s = signal.sample;
  const snoozed = signal.active && snoozedKeys.has(signal.key);
  const text = rowText(s);
  return {
    key: signal.key,
    pid: s.pid,
    starttime: s.starttime,
    label: s.argv.length > 0 ? shortCommand(s.argv) : text.comm,
    commandLine: s.argv.length > 0 ? displayCommand(s.argv) : `[${text.comm}]`,
    text,
    ageSeconds: s.ageSeconds,
    blocking: signal.active && !snoozed,
    snoozed,
    orphaned: s.orphaned,
    sample: s,
    cpuPercent: s.ageSeconds > 0 ? (100 * s.cpuSeconds) / s.ageSeconds : null,
    children: [],
  };
}

// A scan is not atomic: with pid reuse between two reads, ppids could in theory form a loop,
// which would leave every row of it without a root and invisible. Such rows become roots.
function reachesItself(row: MutableRow, byPid: ReadonlyMap<number, MutableRow>): boolean {
  let current = byPid.get(row.sample.ppid);
  for (let steps = 0; current !== undefined && steps <= byPid.size; steps++) {
    if (current === row) return true;
    current = byPid.get(current.sample.ppid);
  }
  return false;
}

/**
 * Nest each matched process under its nearest matched ancestor. Only direct parents are known
 * (ppid), so a chain root → worker → subprocess nests level by level; a parent that did not
 * match breaks the chain and the child becomes a root of its own, which is what the user needs
 * to see (it outlived whatever was between).
 */
export function buildViewModel(
  scan: ScanResult,
  signals: readonly Signal[],
  snoozedKeys: ReadonlySet<string>,
  atMs: number,
): ViewModel {
  const rows = signals.map((signal) => toRow(signal, snoozedKeys));
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const roots: MutableRow[] = [];
  for (const row of rows) {
    const parent = byPid.get(row.sample.ppid);
    if (parent !== undefined && !reachesItself(row, byPid)) parent.children.push(row);
    else roots.push(row);
  }
  const oldestFirst = (a: MutableRow, b: MutableRow): number => b.ageSeconds - a.ageSeconds || a.pid - b.pid;
  roots.sort(oldestFirst);
  for (const row of rows) row.children.sort(oldestFirst);
  return {
    roots,
    all: rows,
    blockingCount: rows.filter((r) => r.blocking).length,
    lastScan: lastScanOf(scan, atMs),
  };
}

function lastScanOf(scan: ScanResult, atMs: number): LastScan {
  const error = scan.error === undefined ? null : sanitize(scan.error, 300);
  return { ok: scan.ok, error, stats: scan.stats, atMs };
}

/** A failed scan keeps the rows of the last good one (nothing recovers on a failed read). */
export function withFailedScan(previous: ViewModel, scan: ScanResult, atMs: number): ViewModel {
  return { ...previous, lastScan: lastScanOf({ ...scan, ok: false }, atMs) };
}
