// What the tree, the status bar, the report and the test API draw, derived from one tick.
// Pure and free of `vscode` so it can be unit-tested; the adapters only render it.
import type { ScanResult, ScanStats } from '../proc/types';
import type { Signal } from './types';
import type { ProcessSample } from '../proc/types';
import { shortCommand } from './format';

export interface ProcessRow {
  readonly key: string;
  readonly pid: number;
  readonly starttime: number;
  /** What is being tested, e.g. `pytest -x tests/unit`. */
  readonly label: string;
  /** The full command line, for tooltips, the kill modal and the report. */
  readonly commandLine: string;
  readonly ageSeconds: number;
  /** Active signal and not snoozed: this process counts, and is drawn as a warning. */
  readonly blocking: boolean;
  /** Active but snoozed by the user. */
  readonly snoozed: boolean;
  readonly orphaned: boolean;
  readonly sample: ProcessSample;
  /** Average CPU use over the process's life, percent of one core; null when age is 0. */
  readonly cpuPercent: number | null;
  /** Matched descendants (xdist workers, subprocesses), nested under their matched ancestor. */
  readonly children: readonly ProcessRow[];
}

export interface LastScan {
  readonly ok: boolean;
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

export function displayCommand(argv: readonly string[]): string {
  return argv.map((a) => (/[\s"'\\$`]/.test(a) || a === '' ? JSON.stringify(a) : a)).join(' ');
}

interface MutableRow extends Omit<ProcessRow, 'children'> {
  children: MutableRow[];
}

function toRow(signal: Signal, snoozedKeys: ReadonlySet<string>): MutableRow {
  const s = signal.sample;
  const snoozed = signal.active && snoozedKeys.has(signal.key);
  return {
    key: signal.key,
    pid: s.pid,
    starttime: s.starttime,
    label: shortCommand(s.argv) || s.comm,
    commandLine: s.argv.length > 0 ? displayCommand(s.argv) : `[${s.comm}]`,
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
    lastScan: { ok: scan.ok, error: scan.error ?? null, stats: scan.stats, atMs },
  };
}

/** A failed scan keeps the rows of the last good one (nothing recovers on a failed read). */
export function withFailedScan(previous: ViewModel, scan: ScanResult, atMs: number): ViewModel {
  return { ...previous, lastScan: { ok: false, error: scan.error ?? null, stats: scan.stats, atMs } };
}
