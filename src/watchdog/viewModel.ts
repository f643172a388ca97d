// What the tree, the status bar, the notification, the report and the test API draw, derived
// from one tick. Pure and free of `vscode` so it can be unit-tested; the adapters only render it
// (the words are theirs, in the UI's language). Rows sort by severity, then age: what needs the
// user most comes first, whatever else the scan found.
import type { ScanResult, ScanStats } from '../proc/types';
import type { ProcessSample } from '../proc/types';
import type { AlertState } from './alertState';
import { isSnoozed } from './alertState';
import { commandWords, quoteWord } from './format';
import { sanitize } from './sanitize';
import type { Signal } from './types';

/**
 * Row labels are capped so the age and the decisive fact in the description stay visible in a
 * sidebar of the default width, 300 px (test/host/ui/uiChecks.mjs measures it), elided once in
 * the middle so both the program and the end of the last test path show.
 */
export const LABEL_MAX_CHARS = 22;

/** How long a snooze lasts, for "snoozed until 14:30" / "until restart" / "while it runs". */
export type SnoozeEnd =
  | { readonly kind: 'process' }
  | { readonly kind: 'session' }
  | { readonly kind: 'time'; readonly atMs: number };

export interface ProcessRow {
  readonly key: string;
  readonly pid: number;
  readonly starttime: number;
  /** What is being tested, e.g. `pytest -x tests/unit`: sanitized, capped, elided in the middle. */
  readonly label: string;
  /** The full command line (not yet sanitized: each sink does, with its own cap and escaping). */
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
  // Diagnosis (issue 11/13) slots: empty until the scan provides them; every adapter already
  // draws them when present.
  /** CPU over the last interval, percent of one core; null without a second sample. */
  readonly cpuNowPercent: number | null;
  /** pytest node ids it runs now. */
  readonly tests: readonly string[];
  /** What it holds that breaks the next run, display-ready (":8000", "/dev/nvidia0", a file). */
  readonly holds: readonly string[];
  /** Git branch of its working directory, when known. */
  readonly branch: string | null;
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
  /** Top-level rows (roots), most severe first, then oldest first. */
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

/** `tests/unit/test_x.py::test_a` -> `test_x.py::test_a`; a folder (`tests/`) stays whole. */
function compactPath(word: string): string {
  const at = word.indexOf('::');
  const path = at < 0 ? word : word.slice(0, at);
  if (!path.includes('/') || path.endsWith('/')) return word;
  return word.slice(path.lastIndexOf('/') + 1);
}

/**
 * The label of a process: what it runs, test paths by their file name, capped and elided once in
 * the middle. When it is too long and the program is the pattern that matched (every row of a
 * pytest watch says "pytest"), the program goes first, so the test file fits.
 */
export function rowLabel(
  sample: Pick<ProcessSample, 'argv' | 'comm'> & { readonly pattern?: string },
  maxChars = LABEL_MAX_CHARS,
): string {
  const [program, ...args] = commandWords(sample.argv);
  if (program === undefined) return sanitize(sample.comm, maxChars);
  const words = [program, ...args.map(compactPath)].map(quoteWord);
  const whole = words.join(' ');
  const text =
    whole.length > maxChars && args.length > 0 && program === sample.pattern
      ? words.slice(1).join(' ')
      : whole;
  return sanitize(text, { maxChars, elide: 'middle', headChars: Math.round(maxChars * 0.4) });
}

/** Blocking orphans first, then blocking, terminating, snoozed, waiting. */
function severityOf(row: Pick<ProcessRow, 'blocking' | 'orphaned' | 'snoozed' | 'terminating'>): number {
  if (row.terminating) return 1;
  if (row.blocking) return row.orphaned ? 4 : 3;
  return row.snoozed ? 0.5 : 0;
}

interface MutableRow extends Omit<ProcessRow, 'children'> {
  children: MutableRow[];
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
    commandLine: s.argv.length > 0 ? displayCommand(s.argv) : `[${s.comm}]`,
    ageSeconds: s.ageSeconds,
    blocking: signal.active && !snoozed && !terminating,
    snoozed,
    snoozeEnd: end,
    terminating,
    orphaned: s.orphaned,
    launcher: !s.orphaned && s.parent !== null ? s.parent : null,
    sample: s,
    cpuPercent: s.ageSeconds > 0 ? (100 * s.cpuSeconds) / s.ageSeconds : null,
    cpuNowPercent: null,
    tests: [],
    holds: [],
    branch: null,
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

const bySeverityThenAge = (a: ProcessRow, b: ProcessRow): number =>
  b.severity - a.severity || b.ageSeconds - a.ageSeconds || a.pid - b.pid;

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
  const roots: MutableRow[] = [];
  for (const row of rows) {
    const parent = byPid.get(row.sample.ppid);
    if (parent !== undefined && !reachesItself(row, byPid)) parent.children.push(row);
    else roots.push(row);
  }
  roots.sort(bySeverityThenAge);
  for (const row of rows) row.children.sort(bySeverityThenAge);
  const { scan } = input;
  return {
    roots,
    all: rows,
    blockingCount: rows.filter((r) => r.blocking).length,
    lastScan: { ok: scan.ok, error: scan.error ?? null, stats: scan.stats, atMs },
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
  return { ...model, roots, all, blockingCount: all.filter((r) => r.blocking).length };
}

/** A failed scan keeps the rows of the last good one (nothing recovers on a failed read). */
export function withFailedScan(previous: ViewModel, scan: ScanResult, atMs: number): ViewModel {
  return { ...previous, lastScan: { ok: false, error: scan.error ?? null, stats: scan.stats, atMs } };
}
