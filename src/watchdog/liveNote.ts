// The one live notification of a window, as a pure reducer: what it lists and whether this step
// shows a new one (close the old, open its successor: a toast that asks for attention), updates
// it in place (quietly), or closes it. VS Code cannot edit a shown message, so the adapter
// (src/vscode/liveNotification.ts) draws it as a progress notification it can update and close.
//
//   fire / remind of a process not listed as blocking  --> show (it is news)
//   a listed process ends, is snoozed, or is being killed from here --> update in place
//   a process ends that was never listed (and was not killed here) --> update, or show when closed
//   nothing left but ended entries  --> the adapter closes it after a short linger
//   dismissed by the user --> forgotten; only news shows again
// A process killed from here never gets a second toast: its entry turns "terminating", then
// "ended" in the notification the kill opened or updated.
import type { KillSignal } from '../proc/killHint';
import { worstOfRun } from './diagnosisRows';
import type { WorstFact } from './diagnosisRows';
import type { ParentOf } from './parentText';
import { forMessageWithLinks } from './sanitize';
import type { AlertEvent, RecoveryReason } from './types';
import type { ProcessRow } from './viewModel';
import { rowLabel } from './rowLabel';

/** A toast has more room than a tree row: labels there are capped later. */
const NOTE_LABEL_CHARS = 48;
/** Tests a toast names per run (the tooltip and the report have them all). */
const NOTE_TESTS = 2;
const NOTE_TEST_CHARS = 60;

export type EntryPhase = 'blocking' | 'terminating' | 'ended';
/** Why an entry ended: the reducer's recovery reason, or 'gone' before it has one. */
export type EndedHow = RecoveryReason | 'gone';

export interface NoteEntry {
  readonly key: string;
  readonly pid: number;
  /** What it runs: the row label, safe for a message that carries our own links. */
  readonly label: string;
  /** Age when last seen (how long it ran, once ended). */
  readonly ageSeconds: number;
  /** The parent it was orphaned onto (raw: worded and escaped where shown), else null. */
  readonly orphanedOnto: ParentOf | null;
  /** The worst fact of its run ("holds port 8000", "burning a core"), when diagnosed. */
  readonly worst: WorstFact | null;
  /** Tests its run is stuck in (its own and its workers'), message-safe, at most NOTE_TESTS. */
  readonly tests: readonly string[];
  /** Not pytest: a process tests started and left behind (issue 13). */
  readonly leftBehind: boolean;
  readonly phase: EntryPhase;
  /** The last signal sent from here while terminating. */
  readonly signal: KillSignal | null;
  readonly how: EndedHow | null;
  /** Wall clock of the end (ended entries leave after ENDED_KEEP_MS, newest first meanwhile). */
  readonly endedAtMs: number | null;
}

export interface LiveNote {
  readonly entries: readonly NoteEntry[];
  /** A notification is open (false once closed or dismissed). */
  readonly open: boolean;
}

export type NoteAction = 'none' | 'show' | 'update' | 'close';

export interface NoteStep {
  readonly next: LiveNote;
  readonly action: NoteAction;
}

export const EMPTY_NOTE: LiveNote = { entries: [], open: false };

/** How long an "Ended: …" entry stays in a notification that still lists others. */
export const ENDED_KEEP_MS = 30_000;

/** The parent it was orphaned onto, worded by the notification (parentText.ts). */
function reaperOf(row: ProcessRow): ParentOf | null {
  return row.orphaned ? { parent: row.sample.parent, ppid: row.sample.ppid } : null;
}

/** The row and its workers, any depth: a worker holds the port, a worker runs the test. */
function runRows(row: ProcessRow): ProcessRow[] {
  const out = [row];
  for (let i = 0; i < out.length; i++) for (const c of out[i]!.children) if (c.kind === 'worker') out.push(c);
  return out;
}

function runTests(rows: readonly ProcessRow[]): string[] {
  const tests = new Set<string>();
  for (const r of rows)
    for (const t of r.tests) {
      if (tests.size >= NOTE_TESTS) break;
      tests.add(forMessageWithLinks(t, { maxChars: NOTE_TEST_CHARS, elide: 'middle' }));
    }
  return [...tests];
}

function entryOf(row: ProcessRow, phase: EntryPhase, signal: KillSignal | null = null): NoteEntry {
  const run = runRows(row);
  const worst = worstOfRun(run);
  return {
    key: row.key,
    pid: row.pid,
    label: forMessageWithLinks(rowLabel(row.sample, NOTE_LABEL_CHARS)),
    ageSeconds: row.ageSeconds,
    orphanedOnto: reaperOf(row),
    worst: worst?.kind === 'port' ? { ...worst, text: forMessageWithLinks(worst.text, 40) } : worst,
    tests: runTests(run),
    leftBehind: row.leftBy !== null,
    phase,
    signal,
    how: null,
    endedAtMs: null,
  };
}

const PHASE_ORDER: Record<EntryPhase, number> = { blocking: 0, terminating: 1, ended: 2 };

/** As the tree orders them: by phase, then the row's severity, then oldest first; ends newest first. */
function ordered(entries: NoteEntry[], rows: readonly ProcessRow[]): NoteEntry[] {
  const severity = new Map(rows.map((r) => [r.key, r.severity]));
  return entries.sort(
    (a, b) =>
      PHASE_ORDER[a.phase] - PHASE_ORDER[b.phase] ||
      (b.endedAtMs ?? 0) - (a.endedAtMs ?? 0) ||
      (severity.get(b.key) ?? 0) - (severity.get(a.key) ?? 0) ||
      b.ageSeconds - a.ageSeconds ||
      a.pid - b.pid,
  );
}

function decide(prev: LiveNote, entries: NoteEntry[], rows: readonly ProcessRow[], news: boolean): NoteStep {
  if (entries.length === 0) return { next: EMPTY_NOTE, action: prev.open ? 'close' : 'none' };
  if (!prev.open && !news) return { next: EMPTY_NOTE, action: 'none' }; // dismissed: wait for news
  const next = { entries: ordered(entries, rows), open: true };
  if (news) return { next, action: 'show' };
  const changed = JSON.stringify(next.entries) !== JSON.stringify(prev.entries);
  return { next, action: changed ? 'update' : 'none' };
}

export interface NoteTick {
  /** This window's events of the tick (after the multi-window gate). */
  readonly events: readonly AlertEvent[];
  /** Every row of the tick's view model (severity-sorted roots first is not required). */
  readonly rows: readonly ProcessRow[];
  /** Wall clock of the tick. */
  readonly nowMs: number;
}

/** One scan's worth of change. Rows vanish a scan before their recovery: the entry ends at once. */
export function afterTick(prev: LiveNote, tick: NoteTick): NoteStep {
  const rows = new Map(tick.rows.map((r) => [r.key, r]));
  const entries = new Map<string, NoteEntry>();
  let news = false;
  for (const e of prev.entries) {
    const row = rows.get(e.key);
    if (e.phase === 'ended') {
      if (tick.nowMs - (e.endedAtMs ?? tick.nowMs) <= ENDED_KEEP_MS) entries.set(e.key, e);
    } else if (row === undefined) {
      const how = e.phase === 'terminating' ? 'killed' : 'gone';
      entries.set(e.key, { ...e, phase: 'ended', how, endedAtMs: tick.nowMs });
    } else if (row.terminating) entries.set(e.key, entryOf(row, 'terminating', e.signal));
    else if (row.blocking) entries.set(e.key, entryOf(row, 'blocking'));
    // else: snoozed, or no longer over the threshold: it leaves the notification silently
  }
  for (const e of tick.events) {
    if (e.type === 'recovery') {
      const known = entries.get(e.key);
      if (known?.phase === 'ended') entries.set(e.key, { ...known, how: e.reason });
      else if (known === undefined && e.reason !== 'killed') {
        // Never listed here (dismissed, or fired before a reload): the end is news.
        const label = forMessageWithLinks(e.command, { maxChars: NOTE_LABEL_CHARS, elide: 'middle' });
        entries.set(e.key, {
          key: e.key,
          pid: e.pid,
          label,
          ageSeconds: e.ranSeconds,
          orphanedOnto: null,
          worst: null,
          tests: [],
          leftBehind: false,
          phase: 'ended',
          signal: null,
          how: e.reason,
          endedAtMs: tick.nowMs,
        });
        news ||= !prev.open;
      }
      continue;
    }
    const row = rows.get(e.key);
    if (row === undefined || !row.blocking) continue;
    entries.set(e.key, entryOf(row, 'blocking'));
    news = true; // a FIRE, or a REMIND after the cooldown: ask for attention again
  }
  return decide(prev, [...entries.values()], tick.rows, news);
}

/** A signal was sent from here to these rows: they turn "terminating" in the open notification. */
export function afterKill(prev: LiveNote, killed: readonly ProcessRow[], signal: KillSignal): NoteStep {
  const entries = new Map(prev.entries.map((e) => [e.key, e]));
  for (const row of killed) entries.set(row.key, entryOf(row, 'terminating', signal));
  // The kill's outcome: in the notification the user may be looking at, or in a new one.
  const next = { entries: ordered([...entries.values()], killed), open: true };
  return { next, action: prev.open ? 'update' : 'show' };
}

/** Only ended entries left: after a short linger the adapter closes it. */
export function onlyEnded(note: LiveNote): boolean {
  return note.open && note.entries.length > 0 && note.entries.every((e) => e.phase === 'ended');
}

/** Keys the notification's actions act on: the blocking entries. */
export function blockingKeys(note: LiveNote): string[] {
  return note.entries.filter((e) => e.phase === 'blocking').map((e) => e.key);
}
