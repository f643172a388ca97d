// The live notification as the user lives it: processes start blocking over several scans, one
// ends, one is snoozed, one is killed from here. One notification, updated in place; a new toast
// only for news; nothing stale left once its processes are gone.
import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import { identityKey } from '../../../src/proc/types';
import type { LiveNote, NoteStep } from '../../../src/watchdog/liveNote';
import {
  afterKill,
  afterTick,
  blockingKeys,
  EMPTY_NOTE,
  ENDED_KEEP_MS,
  onlyEnded,
} from '../../../src/watchdog/liveNote';
import { composeNotification, englishText, MAX_LISTED } from '../../../src/watchdog/notificationText';
import type { Words } from '../../../src/watchdog/notificationText';
import { formatAge } from '../../../src/watchdog/format';
import type { AlertEvent } from '../../../src/watchdog/types';
import type { ProcessRow } from '../../../src/watchdog/viewModel';
import { makeSample, modelOf } from '../../helpers/samples';

const words: Words = {
  t: englishText,
  age: (s) => formatAge(s),
};

const proc = (pid: number, test: string, over: Partial<ProcessSample> = {}): ProcessSample =>
  makeSample({ pid, starttime: 7, argv: ['python3', '-m', 'pytest', test], ageSeconds: 4000 + pid, ...over });

function rows(
  samples: ProcessSample[],
  opts: { snoozed?: string[]; terminating?: string[] } = {},
): ProcessRow[] {
  const snoozes = Object.fromEntries(
    (opts.snoozed ?? []).map((k) => [k, { untilSeconds: null, session: false }]),
  );
  return [...modelOf(samples, { snoozes, terminating: opts.terminating }).all];
}

const fire = (s: ProcessSample): Extract<AlertEvent, { type: 'fire' | 'remind' }> => ({
  type: 'fire',
  key: identityKey(s),
  pid: s.pid,
  starttime: s.starttime,
  ageSeconds: s.ageSeconds,
});
const recovery = (s: ProcessSample, reason: 'exited' | 'killed' | 'pidReused'): AlertEvent => ({
  type: 'recovery',
  key: identityKey(s),
  pid: s.pid,
  starttime: s.starttime,
  reason,
  ranSeconds: s.ageSeconds,
  command: `pytest ${s.argv.at(-1) ?? ''}`,
});
const NOW = 1_000_000;
const message = (note: LiveNote): string => composeNotification(note, words)?.message ?? '';

const a = proc(101, 'tests/test_merge_gate.py');
const b = proc(102, 'tests/test_cov.py', { ppid: 50, parent: { pid: 50, comm: 'bash' }, orphaned: false });
const c = proc(103, 'tests/test_slow.py');

describe('the live notification', () => {
  it('shows once per piece of news and updates in place as processes end', () => {
    let step: NoteStep = afterTick(EMPTY_NOTE, { events: [fire(a)], rows: rows([a]), nowMs: NOW });
    expect(step.action).toBe('show');
    expect(message(step.next)).toMatch(
      /^Blocking: pytest test_merge_gate\.py \(PID 101, 1h 8m, orphaned onto tini\)\. \[Show\]/,
    );

    // b starts blocking a scan later: news, so a new toast replaces the first one (both listed).
    step = afterTick(step.next, { events: [fire(b)], rows: rows([a, b]), nowMs: NOW });
    expect(step.action).toBe('show');
    expect(message(step.next)).toContain('Blocking: pytest test_merge_gate.py (PID 101');
    expect(message(step.next)).toContain('; pytest test_cov.py (PID 102, 1h 8m).');

    // Nothing new: nothing to do.
    step = afterTick(step.next, { events: [], rows: rows([a, b]), nowMs: NOW });
    expect(step.action).toBe('none');

    // a is gone from the scan: it ends in place at once, its actions leave with it.
    step = afterTick(step.next, { events: [], rows: rows([b]), nowMs: NOW });
    expect(step.action).toBe('update');
    expect(message(step.next)).toMatch(
      /^Blocking: pytest test_cov\.py .*\. Ended: pytest test_merge_gate\.py \(PID 101\) after 1h 8m\./,
    );
    expect(blockingKeys(step.next)).toEqual([identityKey(b)]);

    // Its recovery a scan later says why, in place.
    step = afterTick(step.next, { events: [recovery(a, 'exited')], rows: rows([b]), nowMs: NOW });
    expect(step.action).toBe('update');
    expect(message(step.next)).toContain('Ended: pytest test_merge_gate.py (PID 101) exited after 1h 8m.');

    // b is snoozed: it leaves; only the ended entry is left, which the adapter closes after a linger.
    step = afterTick(step.next, { events: [], rows: rows([b], { snoozed: [identityKey(b)] }), nowMs: NOW });
    expect(step.action).toBe('update');
    expect(onlyEnded(step.next)).toBe(true);
    expect(composeNotification(step.next, words)?.keys).toEqual([]);
    expect(message(step.next)).not.toContain('[Show]');
  });

  it('a kill from here turns the entry "terminating", then "ended": no second toast', () => {
    let step = afterTick(EMPTY_NOTE, { events: [fire(a)], rows: rows([a]), nowMs: NOW });
    step = afterKill(step.next, rows([a], { terminating: [identityKey(a)] }), 'SIGTERM');
    expect(step.action).toBe('update');
    expect(message(step.next)).toBe('Terminating: pytest test_merge_gate.py (PID 101): SIGTERM sent.');
    step = afterTick(step.next, {
      events: [],
      rows: rows([a], { terminating: [identityKey(a)] }),
      nowMs: NOW,
    });
    expect(step.action).toBe('none');
    step = afterTick(step.next, { events: [], rows: [], nowMs: NOW });
    expect(message(step.next)).toBe(
      'Ended: pytest test_merge_gate.py (PID 101) after 1h 8m, terminated from here.',
    );
    step = afterTick(step.next, { events: [recovery(a, 'killed')], rows: [], nowMs: NOW });
    expect(step.action).toBe('none');
  });

  it('a kill with no notification open opens one with its outcome', () => {
    const step = afterKill(EMPTY_NOTE, rows([c], { terminating: [identityKey(c)] }), 'SIGKILL');
    expect(step.action).toBe('show');
    expect(message(step.next)).toContain('(PID 103): SIGKILL sent');
  });

  it('an end that was never listed is news only when nothing is open; a kill from here never is', () => {
    expect(afterTick(EMPTY_NOTE, { events: [recovery(c, 'killed')], rows: [], nowMs: NOW }).action).toBe(
      'none',
    );
    const ended = afterTick(EMPTY_NOTE, { events: [recovery(c, 'pidReused')], rows: [], nowMs: NOW });
    expect(ended.action).toBe('show');
    expect(message(ended.next)).toContain('its PID now belongs to another process');
  });

  it('after a dismissal only news shows again; a reminder is news', () => {
    const quiet = afterTick(EMPTY_NOTE, { events: [], rows: rows([a]), nowMs: NOW });
    expect(quiet.action).toBe('none');
    const remind = afterTick(EMPTY_NOTE, {
      events: [{ ...fire(a), type: 'remind' }],
      rows: rows([a]),
      nowMs: NOW,
    });
    expect(remind.action).toBe('show');
  });

  it('an ended entry leaves after a while, newest ends first', () => {
    let step = afterTick(EMPTY_NOTE, {
      events: [fire(a), fire(b), fire(c)],
      rows: rows([a, b, c]),
      nowMs: 0,
    });
    step = afterTick(step.next, { events: [], rows: rows([b, c]), nowMs: 1000 });
    step = afterTick(step.next, { events: [], rows: rows([b]), nowMs: 2000 });
    expect(message(step.next)).toMatch(
      /Ended: pytest test_slow\.py \(PID 103\).*; pytest test_merge_gate\.py/,
    );
    step = afterTick(step.next, { events: [], rows: rows([b]), nowMs: 1000 + ENDED_KEEP_MS + 1 });
    expect(step.action).toBe('update');
    expect(message(step.next)).not.toContain('test_merge_gate');
    expect(message(step.next)).toContain('test_slow');
  });

  it('names a few and counts the rest; the links carry the keys while they fit', () => {
    const many = [101, 102, 103, 104, 105, 106].map((pid) => proc(pid, `tests/t${pid}.py`));
    const step = afterTick(EMPTY_NOTE, { events: many.map(fire), rows: rows(many), nowMs: NOW });
    const text = message(step.next);
    expect(text).toContain(`; and ${many.length - MAX_LISTED} more.`);
    expect(text).toContain('[Kill…](command:procWatchdog.kill)'); // 6 keys: the command asks
    const two = afterTick(EMPTY_NOTE, { events: [fire(a), fire(c)], rows: rows([a, c]), nowMs: NOW });
    expect(message(two.next)).toContain(
      `(command:procWatchdog.kill?${encodeURIComponent(JSON.stringify([[identityKey(c), identityKey(a)]]))})`,
    );
    // Show selects one row, the first listed.
    expect(message(two.next)).toContain(
      `(command:procWatchdog.reveal?${encodeURIComponent(JSON.stringify([[identityKey(c)]]))})`,
    );
  });

  it('outside text forms no link of its own, even elided inside a [parameter', () => {
    const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
    const evil = proc(107, 'tests/x.py::test_a[param-that-is-long](command:workbench.action.quit)');
    const step = afterTick(EMPTY_NOTE, { events: [fire(evil)], rows: rows([evil]), nowMs: NOW });
    const labels = [...message(step.next).matchAll(LINK)].map((m) => m[1]);
    expect(labels).toEqual(['Show', 'Kill…', 'Snooze…']);
  });
});
