import { describe, expect, it } from 'vitest';
import { makeSample } from '../../helpers/samples';
import type { AlertState } from '../../../src/watchdog/alertState';
import {
  emptyAlertState,
  markKilled,
  parseAlertState,
  serializeAlertState,
  snooze,
} from '../../../src/watchdog/alertState';
import { reduceAlerts } from '../../../src/watchdog/alerts';
import type { AlertEvent, Signal } from '../../../src/watchdog/types';

function sig(pid: number, starttime: number, active: boolean, ageSeconds = 4000): Signal {
  const sample = makeSample({
    pid,
    starttime,
    argv: ['/venv/bin/pytest', '-x', `t${pid}`],
    ageSeconds,
    cpuSeconds: 1,
  });
  return {
    kind: 'proc_blocking',
    key: `${pid}:${starttime}`,
    pid,
    starttime,
    active,
    sample,
  };
}

/** One row of a transition table: the scan at `now`, and the events it must produce. */
interface Step {
  now: number;
  signals: Signal[];
  ok?: boolean;
  killed?: string[];
  expect: string[];
}

function summarize(e: AlertEvent): string {
  return e.type === 'recovery' ? `recovery ${e.key} ${e.reason} ran=${e.ranSeconds}` : `${e.type} ${e.key}`;
}

function run(steps: Step[], cooldownSeconds = 100, initial: AlertState = emptyAlertState()): AlertState {
  let state = initial;
  steps.forEach((step, i) => {
    const { next, events } = reduceAlerts(
      state,
      {
        signals: step.signals,
        scanOk: step.ok ?? true,
        nowSeconds: step.now,
        ...(step.killed ? { killedKeys: new Set(step.killed) } : {}),
      },
      { cooldownSeconds },
    );
    expect(events.map(summarize), `step ${i} at t=${step.now}`).toEqual(step.expect);
    state = next;
  });
  return state;
}

describe('reduceAlerts transitions', () => {
  it('FIRE once, REMIND after the cooldown, RECOVERY exited after two missing scans', () => {
    const a = sig(10, 500, true);
    const state = run([
      { now: 1000, signals: [a], expect: ['fire 10:500'] },
      { now: 1030, signals: [a], expect: [] },
      { now: 1099, signals: [a], expect: [] },
      { now: 1100, signals: [a], expect: ['remind 10:500'] },
      { now: 1150, signals: [a], expect: [] },
      { now: 1200, signals: [a], expect: ['remind 10:500'] },
      { now: 1230, signals: [], expect: [] },
      { now: 1260, signals: [], expect: ['recovery 10:500 exited ran=4000'] },
      { now: 1290, signals: [], expect: [] },
    ]);
    expect(state.entities).toEqual({});
  });

  it('an inactive match never fires and is forgotten silently', () => {
    const young = sig(11, 1, false, 30);
    const state = run([
      { now: 10, signals: [young], expect: [] },
      { now: 20, signals: [], expect: [] },
      { now: 30, signals: [], expect: [] },
    ]);
    expect(state.entities).toEqual({});
  });

  it('fires when a match becomes active (crosses the threshold)', () => {
    run([
      { now: 10, signals: [sig(12, 1, false)], expect: [] },
      { now: 20, signals: [sig(12, 1, true)], expect: ['fire 12:1'] },
    ]);
  });

  it('one missing scan is not a recovery (a read race), and reappearing resets the count', () => {
    const a = sig(13, 1, true);
    run([
      { now: 0, signals: [a], expect: ['fire 13:1'] },
      { now: 30, signals: [], expect: [] },
      { now: 60, signals: [a], expect: [] },
      { now: 90, signals: [], expect: [] },
      { now: 120, signals: [a], expect: ['remind 13:1'] },
    ]);
  });

  it('a failed scan changes nothing and recovers nothing', () => {
    const a = sig(14, 1, true);
    const before = run([{ now: 0, signals: [a], expect: ['fire 14:1'] }]);
    const { next, events } = reduceAlerts(
      before,
      { signals: [], scanOk: false, nowSeconds: 500 },
      { cooldownSeconds: 100 },
    );
    expect(events).toEqual([]);
    expect(next).toBe(before);
    run(
      [
        { now: 30, signals: [], expect: [] },
        { now: 40, signals: [], ok: false, expect: [] },
        { now: 50, signals: [], ok: false, expect: [] },
        { now: 60, signals: [], expect: ['recovery 14:1 exited ran=4000'] },
      ],
      100,
      before,
    );
  });

  it('recovers as killed when the key was killed from here (input or state)', () => {
    const a = sig(15, 1, true);
    const b = sig(16, 1, true);
    let state = run([{ now: 0, signals: [a, b], expect: ['fire 15:1', 'fire 16:1'] }]);
    state = markKilled(state, '16:1');
    run(
      [
        { now: 10, signals: [], killed: ['15:1'], expect: [] },
        { now: 20, signals: [], expect: ['recovery 15:1 killed ran=4000', 'recovery 16:1 killed ran=4000'] },
      ],
      100,
      state,
    );
  });

  it('recovers as pidReused when the same pid is back with another starttime', () => {
    const old = sig(17, 1, true);
    const reused = sig(17, 99, false, 5);
    run([
      { now: 0, signals: [old], expect: ['fire 17:1'] },
      { now: 10, signals: [reused], expect: [] },
      { now: 20, signals: [reused], expect: ['recovery 17:1 pidReused ran=4000'] },
    ]);
  });

  it('a reused pid is a new entity: it fires on its own', () => {
    run([
      { now: 0, signals: [sig(18, 1, true)], expect: ['fire 18:1'] },
      { now: 10, signals: [sig(18, 2, true)], expect: ['fire 18:2'] },
    ]);
  });

  it('snooze suppresses FIRE and REMIND until the process is gone, then ends', () => {
    const a = sig(19, 1, true);
    let state = snooze(emptyAlertState(), '19:1');
    state = run(
      [
        { now: 0, signals: [a], expect: [] },
        { now: 500, signals: [a], expect: [] },
        { now: 510, signals: [], expect: [] }, // one miss: the snooze holds
        { now: 520, signals: [a], expect: [] },
        { now: 530, signals: [], expect: [] },
        { now: 540, signals: [], expect: [] }, // gone: forgotten silently, it never fired
      ],
      100,
      state,
    );
    expect(state.snoozes).toEqual({});
    expect(state.entities).toEqual({});
  });

  it('snoozing a fired process stops reminders but still reports its recovery', () => {
    const a = sig(20, 1, true);
    let state = run([{ now: 0, signals: [a], expect: ['fire 20:1'] }]);
    state = snooze(state, '20:1');
    run(
      [
        { now: 200, signals: [a], expect: [] },
        { now: 210, signals: [], expect: [] },
        { now: 220, signals: [], expect: ['recovery 20:1 exited ran=4000'] },
      ],
      100,
      state,
    );
  });

  it('a fired process that goes inactive (threshold raised) is dropped silently and can fire again', () => {
    const on = sig(21, 1, true);
    const off = sig(21, 1, false);
    run([
      { now: 0, signals: [on], expect: ['fire 21:1'] },
      { now: 10, signals: [off], expect: [] },
      { now: 20, signals: [], expect: [] },
      { now: 30, signals: [], expect: [] },
    ]);
    run([
      { now: 0, signals: [on], expect: ['fire 21:1'] },
      { now: 10, signals: [off], expect: [] },
      { now: 20, signals: [on], expect: ['fire 21:1'] },
    ]);
  });

  it('a boot clock going backwards (reboot) starts over without recoveries', () => {
    const a = sig(22, 1, true);
    const state = run([
      { now: 100000, signals: [a], expect: ['fire 22:1'] },
      { now: 40, signals: [], expect: [] },
      { now: 70, signals: [], expect: [] },
      { now: 100, signals: [a], expect: ['fire 22:1'] },
    ]);
    expect(state.lastScanSeconds).toBe(100);
  });

  it('cooldown 0 reminds on every scan', () => {
    const a = sig(23, 1, true);
    run(
      [
        { now: 0, signals: [a], expect: ['fire 23:1'] },
        { now: 1, signals: [a], expect: ['remind 23:1'] },
      ],
      0,
    );
  });

  it('events carry the age of the signal, recovery the command', () => {
    const { events } = reduceAlerts(
      emptyAlertState(),
      { signals: [sig(24, 1, true, 7200)], scanOk: true, nowSeconds: 0 },
      { cooldownSeconds: 1 },
    );
    expect(events[0]).toMatchObject({ type: 'fire', ageSeconds: 7200, pid: 24, starttime: 1 });
    let state = reduceAlerts(
      emptyAlertState(),
      { signals: [sig(24, 1, true)], scanOk: true, nowSeconds: 0 },
      { cooldownSeconds: 1 },
    ).next;
    state = reduceAlerts(state, { signals: [], scanOk: true, nowSeconds: 1 }, { cooldownSeconds: 1 }).next;
    const last = reduceAlerts(state, { signals: [], scanOk: true, nowSeconds: 2 }, { cooldownSeconds: 1 });
    expect(last.events[0]).toMatchObject({ type: 'recovery', command: 'pytest -x t24' });
  });
});

describe('alert state persistence', () => {
  it('round-trips through JSON text and objects', () => {
    const a = sig(30, 1, true);
    let state = run([{ now: 5, signals: [a], expect: ['fire 30:1'] }]);
    state = snooze(markKilled(state, '30:1'), '30:1');
    const text = JSON.stringify(serializeAlertState(state));
    expect(parseAlertState(text)).toEqual(state);
    expect(parseAlertState(serializeAlertState(state))).toEqual(state);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['number', 42],
    ['bad JSON text', '{not json'],
    ['wrong version', { ...emptyAlertState(), version: 2 }],
    ['entity missing fields', { ...emptyAlertState(), entities: { '1:1': { key: '1:1' } } }],
    [
      'entity under the wrong key',
      {
        ...emptyAlertState(),
        entities: {
          '2:2': {
            key: '1:1',
            pid: 1,
            starttime: 1,
            command: '',
            firedAtSeconds: 0,
            notifiedAtSeconds: 0,
            lastSeenSeconds: 0,
            ageSeconds: 0,
            missingScans: 0,
          },
        },
      },
    ],
    ['killedKeys not an array', { ...emptyAlertState(), killedKeys: 'x' }],
  ])('garbage (%s) gives the empty state', (_name, value) => {
    expect(parseAlertState(value)).toEqual(emptyAlertState());
  });
});
