// What the tree, the status bar, the notification, the report and the test API draw, derived
// from one tick. Pure and free of `vscode` so it can be unit-tested; the adapters only render it
// (the words are theirs, in the UI's language). Rows sort by severity, then age: what needs the
// user most comes first, whatever else the scan found.
import type { WorkerRole } from '../proc/diagnosisTypes';
import type { ScanResult, ScanStats } from '../proc/types';
import type { ProcessSample } from '../proc/types';
import { sampleFacts } from './diagnosisRows';
import type { RowFacts } from './diagnosisRows';
import type { AlertState } from './alertState';
import { isSnoozed } from './alertState';
import { displayCommand } from './format';
import { rowLabel } from './rowLabel';
import { addWorkers, bySeverityThenAge, groupLeftBehind } from './treeRows';
import type { MutableRow } from './treeRows';
import { sanitize } from './sanitize';
import type { Signal } from './types';

/** How long a snooze lasts, for "snoozed until 14:30" / "until restart" / "while it runs". */
export type SnoozeEnd =
  | { readonly kind: 'process' }
  | { readonly kind: 'session' }
  | { readonly kind: 'time'; readonly atMs: number };

export interface ProcessRow extends RowFacts {
  /** `worker`: a descendant of a shown process that no pattern matched (diagnosis.workers). */
  readonly kind: 'process' | 'worker';
  /** A worker's role (xdist worker, fixture server, setsid child), else null. */
  readonly role: WorkerRole | null;
  readonly key: string;
  readonly pid: number;
  readonly starttime: number;
  /** What is being tested, e.g. `pytest -x tests/unit`: sanitized, capped, elided in the middle. */
  readonly label: string;
  /**
   * The full command line, sanitized and capped (format.ts displayCommand); sinks cap it further
   * and add their own escaping.
   */
  readonly commandLine: string;
  readonly ageSeconds: number;
  /** Active signal and not snoozed: this process counts, and is drawn as a warning. */
  readonly blocking: boolean;
  /** Active but snoozed by the user; `snoozeEnd` says until when. */
  readonly snoozed: boolean;
  readonly snoozeEnd: SnoozeEnd | null;
  /** A kill was sent from here and it has not gone yet. */
  readonly terminating: boolean;
  readonly orphaned: boolean;
  /** Not orphaned and its parent is known: "its launcher (bash, PID …) is still running". */
  readonly launcher: { readonly pid: number; readonly comm: string } | null;
  readonly sample: ProcessSample;
  /** Average CPU use over the process's life, percent of one core; null when age is 0. */
  readonly cpuPercent: number | null;
  /** Higher = shown first (see severityOf). */
  readonly severity: number;
  /**
   * Nested under it: matched descendants, its workers (diagnosis), and processes its tests left
   * behind (issue 13) while it still runs.
   */
  readonly children: readonly ProcessRow[];
}

/** "Left behind by tests": processes whose run is gone, grouped by run (or basetemp). */
export interface GroupRow {
  readonly kind: 'group';
  readonly key: string;
  /** The pytest basetemp they worked in, raw (sinks sanitize), and its last component. */
  readonly basetemp: string | null;
  readonly basetempName: string | null;
  /** The tests' folders under the basetemp (`test_spawns_a_server0`), raw, unique. */
  readonly testDirs: readonly string[];
  readonly severity: number;
  readonly ageSeconds: number;
  readonly children: readonly ProcessRow[];
}

/** What the tree draws at its top level. */
export type TreeNode = ProcessRow | GroupRow;

export interface LastScan {
  readonly ok: boolean;
  /** Why the scan failed, sanitized (it names the configured proc root). */
  readonly error: string | null;
  readonly stats: ScanStats;
  /** Wall clock of the scan, ms, for "last scan at". */
  readonly atMs: number;
}

export interface ViewModel {
  /** Top-level process rows (roots), most severe first, then oldest first. */
  readonly roots: readonly ProcessRow[];
  /** The tree's top level: roots, with left-behind roots under their GroupRow. */
  readonly tree: readonly TreeNode[];
  /** Every row, flat. */
  readonly all: readonly ProcessRow[];
  readonly blockingCount: number;
  readonly lastScan: LastScan | null;
}

export const EMPTY_VIEW_MODEL: ViewModel = { roots: [], tree: [], all: [], blockingCount: 0, lastScan: null };

/** Blocking orphans first, then blocking, terminating, snoozed, waiting. */
function severityOf(row: Pick<ProcessRow, 'blocking' | 'orphaned' | 'snoozed' | 'terminating'>): number {
  if (row.terminating) return 1;
  if (row.blocking) return row.orphaned ? 4 : 3;
  return row.snoozed ? 0.5 : 0;
}

/** The parts of a tick the rows are drawn from (`Tick` in monitor.ts has them all). */
export interface RowInput {
  readonly scan: ScanResult;
  readonly signals: readonly Signal[];
  readonly state: Pick<AlertState, 'snoozes'>;
}

function snoozeEnd(input: RowInput, key: string, atMs: number): SnoozeEnd | null {
  const s = input.state.snoozes[key];
  if (s === undefined || !isSnoozed(input.state, key, input.scan.uptimeSeconds)) return null;
  if (s.untilSeconds !== null)
    return { kind: 'time', atMs: atMs + (s.untilSeconds - input.scan.uptimeSeconds) * 1000 };
  return { kind: s.session ? 'session' : 'process' };
}

function toRow(signal: Signal, input: RowInput, atMs: number, terminating: boolean): MutableRow {
  const s = signal.sample;
  const end = signal.active ? snoozeEnd(input, signal.key, atMs) : null;
  const snoozed = end !== null;
  const row = {
    key: signal.key,
    pid: s.pid,
    starttime: s.starttime,
    label: rowLabel(s),
    commandLine: s.argv.length > 0 ? displayCommand(s.argv) : `[${sanitize(s.comm, 64)}]`,
    ageSeconds: s.ageSeconds,
    blocking: signal.active && !snoozed && !terminating,
    snoozed,
    snoozeEnd: end,
    terminating,
    orphaned: s.orphaned,
    launcher: !s.orphaned && s.parent !== null ? s.parent : null,
    sample: s,
    cpuPercent: s.ageSeconds > 0 ? (100 * s.cpuSeconds) / s.ageSeconds : null,
    ...sampleFacts(s),
    kind: 'process' as const,
    role: null,
    children: [],
  };
  return { ...row, severity: severityOf(row) };
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
  input: RowInput,
  atMs: number,
  terminatingKeys: ReadonlySet<string> = new Set(),
): ViewModel {
  const rows = input.signals.map((signal) => toRow(signal, input, atMs, terminatingKeys.has(signal.key)));
  const byPid = new Map(rows.map((r) => [r.pid, r]));
  const byKey = new Map(rows.map((r) => [r.key, r]));
  const roots: MutableRow[] = [];
  for (const row of rows) {
    // Left behind while its run still shows (a setsid child orphaned under a live pytest): there.
    const run = row.leftBy?.run == null ? undefined : byKey.get(row.leftBy.run);
    const parent = run ?? byPid.get(row.sample.ppid);
    if (parent !== undefined && parent !== row && !reachesItself(row, byPid)) parent.children.push(row);
    else roots.push(row);
  }
  addWorkers(rows, new Set(byKey.keys()));
  roots.sort(bySeverityThenAge);
  for (const row of rows) row.children.sort(bySeverityThenAge);
  const { scan } = input;
  return {
    roots,
    tree: groupLeftBehind(roots),
    all: rows,
    blockingCount: rows.filter((r) => r.blocking).length,
    lastScan: lastScanOf(scan, scan.ok, atMs),
  };
}

/** The same rows with these keys marked terminating (drawn at once, before the next scan). */
export function withTerminating(model: ViewModel, keys: ReadonlySet<string>): ViewModel {
  const rebuilt = new Map<string, MutableRow>();
  const mark = (row: ProcessRow): MutableRow => {
    const terminating = keys.has(row.key);
    const next: MutableRow = {
      ...row,
      terminating,
      blocking: row.blocking && !terminating,
      children: row.children.map(mark),
    };
    const marked = { ...next, severity: severityOf(next) };
    rebuilt.set(row.key, marked);
    return marked;
  };
  const roots = model.roots.map(mark).sort(bySeverityThenAge);
  const all = model.all.map((r) => rebuilt.get(r.key) ?? mark(r));
  return {
    ...model,
    roots,
    tree: groupLeftBehind(roots),
    all,
    blockingCount: all.filter((r) => r.blocking).length,
  };
}

/** A failed scan keeps the rows of the last good one (nothing recovers on a failed read). */
export function withFailedScan(previous: ViewModel, scan: ScanResult, atMs: number): ViewModel {
  return { ...previous, lastScan: lastScanOf(scan, false, atMs) };
}

function lastScanOf(scan: ScanResult, ok: boolean, atMs: number): LastScan {
  const error = scan.error === undefined ? null : sanitize(scan.error, 300);
  return { ok, error, stats: scan.stats, atMs };
}
