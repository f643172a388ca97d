// The live notification's words, composed once per change from its entries (liveNote.ts). Pure:
// the words come in through `t` (vscode.l10n.t in the editor, identity in tests), so grouping and
// wording are unit-tested in plain Node. It leads with the verb ("Blocking: …", "Ended: …"),
// names each process by what it runs, and lists a few before counting the rest.
import type { WorstFact } from './diagnosisRows';
import type { LiveNote, NoteEntry } from './liveNote';
import { parentText } from './parentText';
import { finalMessage, forMessageWithLinks } from './sanitize';

/** vscode.l10n.t's shape: a message with {0}-style placeholders and its arguments. */
export type Translate = (message: string, ...args: (string | number)[]) => string;

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/**
 * The CLI's `t` (and the tests'): English, each `{N}` replaced by the N-th argument. One pass
 * over the message; a brace not followed by digits and `}` stays as it is.
 */
export const englishText: Translate = (message, ...args) => {
  let out = '';
  let from = 0;
  for (let open = message.indexOf('{'); open >= 0; open = message.indexOf('{', open + 1)) {
    let close = open + 1;
    while (close < message.length && isDigit(message.charCodeAt(close))) close++;
    if (close === open + 1 || message.charCodeAt(close) !== 125 /* } */) continue;
    out += message.slice(from, open) + String(args[Number(message.slice(open + 1, close))]);
    from = close + 1;
    open = close;
  }
  return out + message.slice(from);
};

export interface Words {
  readonly t: Translate;
  /** An age in the UI's language ("2h 14m", "2 ч 14 мин"). */
  readonly age: (seconds: number) => string;
}

export interface ComposedNotification {
  readonly message: string;
  /** What Show / Kill… / Snooze act on: the blocking entries. */
  readonly keys: readonly string[];
}

/** Entries named per section before "and N more": a toast is not a log (the log has each). */
export const MAX_LISTED = 3;
/** Command links carry keys only up to this many (VS Code cuts a message at 1000 characters). */
const MAX_LINK_KEYS = 4;

/** The commands the notification's links run (registered in src/vscode/commands.ts). */
const LINK_COMMANDS = {
  show: 'procWatchdog.reveal',
  kill: 'procWatchdog.kill',
  snooze: 'procWatchdog.snooze',
} as const;

/** "holds port 8000", "burning a core", "stopped (SIGTERM waits for SIGCONT)", "idle for 40m". */
function worstFactText(fact: WorstFact, w: Words): string {
  switch (fact.kind) {
    case 'port':
      return w.t('holds port {0}', fact.text.startsWith(':') ? fact.text.slice(1) : fact.text);
    case 'cpu':
      return fact.spinning ? w.t('burning a core') : w.t('busy at {0}% CPU', fact.percent);
    case 'idle':
      return w.t('idle for {0}', w.age(fact.seconds));
    case 'state':
      switch (fact.verdict) {
        case 'uninterruptible':
          return w.t('stuck in the kernel (uninterruptible)');
        case 'stopped':
          return w.t('stopped');
        case 'zombie':
          return w.t('a zombie');
      }
  }
}

function blockingItem(e: NoteEntry, w: Words): string {
  const label = e.leftBehind ? w.t('{0}, left behind by tests', e.label) : e.label;
  const who =
    e.orphanedOnto === null
      ? w.t('{0} (PID {1}, {2})', label, e.pid, w.age(e.ageSeconds))
      : w.t(
          '{0} (PID {1}, {2}, orphaned onto {3})',
          label,
          e.pid,
          w.age(e.ageSeconds),
          parentText(e.orphanedOnto, w.t, (comm) => forMessageWithLinks(comm, 40), false),
        );
  const facts: string[] = [];
  if (e.worst !== null) facts.push(worstFactText(e.worst, w));
  if (e.tests.length > 0) facts.push(w.t('stuck in {0}', e.tests.join(', ')));
  return facts.length === 0 ? who : w.t('{0}: {1}', who, facts.join(', '));
}

function terminatingItem(e: NoteEntry, w: Words): string {
  return w.t('{0} (PID {1}): {2} sent', e.label, e.pid, e.signal ?? 'SIGTERM');
}

function endedItem(e: NoteEntry, w: Words): string {
  const age = w.age(e.ageSeconds);
  switch (e.how) {
    case 'killed':
      return w.t('{0} (PID {1}) after {2}, terminated from here', e.label, e.pid, age);
    case 'exited':
      return w.t('{0} (PID {1}) exited after {2}', e.label, e.pid, age);
    case 'pidReused':
      return w.t('{0} (PID {1}) after {2}; its PID now belongs to another process', e.label, e.pid, age);
    default:
      return w.t('{0} (PID {1}) after {2}', e.label, e.pid, age);
  }
}

function list(items: readonly string[], w: Words): string {
  const shown = items.slice(0, MAX_LISTED).join('; ');
  const rest = items.length - MAX_LISTED;
  return rest > 0 ? w.t('{0}; and {1} more', shown, rest) : shown;
}

/** `command:id?["k1","k2"]`, URL-encoded as VS Code's command links expect. */
function commandLink(command: string, keys: readonly string[]): string {
  // Too many keys would not fit: without arguments each command asks among all blocking rows.
  if (keys.length === 0 || keys.length > MAX_LINK_KEYS) return `command:${command}`;
  return `command:${command}?${encodeURIComponent(JSON.stringify([keys]))}`;
}

function actionLinks(keys: readonly string[], w: Words): string {
  return [
    // Show selects one row, the first listed (the most severe): its key always fits.
    `[${w.t('Show')}](${commandLink(LINK_COMMANDS.show, keys.slice(0, 1))})`,
    `[${w.t('Kill…')}](${commandLink(LINK_COMMANDS.kill, keys)})`,
    `[${w.t('Snooze…')}](${commandLink(LINK_COMMANDS.snooze, keys)})`,
  ].join(' · ');
}

/** The message for the notification's current entries, or null when there is nothing to say. */
export function composeNotification(note: LiveNote, w: Words): ComposedNotification | null {
  const of = (phase: NoteEntry['phase']) => note.entries.filter((e) => e.phase === phase);
  const blocking = of('blocking');
  const terminating = of('terminating');
  const ended = of('ended');
  const parts: string[] = [];
  if (blocking.length > 0)
    parts.push(
      w.t(
        'Blocking: {0}.',
        list(
          blocking.map((e) => blockingItem(e, w)),
          w,
        ),
      ),
    );
  if (terminating.length > 0)
    parts.push(
      w.t(
        'Terminating: {0}.',
        list(
          terminating.map((e) => terminatingItem(e, w)),
          w,
        ),
      ),
    );
  if (ended.length > 0)
    parts.push(
      w.t(
        'Ended: {0}.',
        list(
          ended.map((e) => endedItem(e, w)),
          w,
        ),
      ),
    );
  if (parts.length === 0) return null;
  const keys = blocking.map((e) => e.key);
  // Everything before our own links gets the last pass every message gets (finalMessage: no
  // link syntax, no raw control character, capped), whatever its pieces were: the links below
  // are the only ones the message can carry.
  const body = finalMessage(parts.join(' '));
  return { message: keys.length > 0 ? `${body} ${actionLinks(keys, w)}` : body, keys };
}
