// A window reload = a new AlertStore over the same Memento. It must neither repeat an alert
// inside its cooldown nor lose a pending recovery. The Memento here is a Map behind the
// two-method interface the store uses (no vscode module involved: the store imports types only).
import { describe, expect, it } from 'vitest';
import type * as vscode from 'vscode';
import { AlertStore } from '../../../src/vscode/alertStore';
import { reduceAlerts } from '../../../src/watchdog/alerts';
import type { AlertState } from '../../../src/watchdog/alertState';
import { buildSignals } from '../../../src/watchdog/signals';
import { makeSample } from '../../helpers/samples';

function memento(): vscode.Memento & { writes: number } {
  const data = new Map<string, unknown>();
  const m = {
    writes: 0,
    keys: () => [...data.keys()],
    get: <T>(key: string, fallback?: T) => (data.has(key) ? (data.get(key) as T) : fallback),
    update: (key: string, value: unknown) => {
      m.writes++;
      data.set(key, JSON.parse(JSON.stringify(value)));
      return Promise.resolve();
    },
  };
  return m;
}

const sample = makeSample({ starttime: 777, cpuSeconds: 10 });
const config = { ageMinutes: 60, orphansOnly: false, cooldownSeconds: 1800 };

function tick(state: AlertState, present: boolean, nowSeconds: number) {
  const signals = buildSignals(present ? [{ ...sample, ageSeconds: nowSeconds - 1000 }] : [], config);
  return reduceAlerts(state, { signals, scanOk: true, nowSeconds }, config);
}

describe('AlertStore across a reload', () => {
  it('does not repeat a FIRE inside the cooldown after a reload', () => {
    const m = memento();
    const first = new AlertStore(m);
    const fired = tick(first.load(), true, 5000);
    expect(fired.events.map((e) => e.type)).toEqual(['fire']);
    first.save(fired.next);

    const reloaded = new AlertStore(m); // the window reloaded
    const again = tick(reloaded.load(), true, 5030);
    expect(again.events).toEqual([]);
    const later = tick(again.next, true, 5000 + 1800 + 1);
    expect(later.events.map((e) => e.type)).toEqual(['remind']);
  });

  it('keeps a pending recovery: one miss before the reload, one after = RECOVERY', () => {
    const m = memento();
    const store = new AlertStore(m);
    const fired = tick(store.load(), true, 5000);
    const missedOnce = tick(fired.next, false, 5030);
    expect(missedOnce.events).toEqual([]);
    store.save(missedOnce.next);

    const recovered = tick(new AlertStore(m).load(), false, 5060);
    expect(recovered.events).toMatchObject([{ type: 'recovery', key: '4242:777', reason: 'exited' }]);
  });

  it('writes only when the state changed, and survives garbage in storage', () => {
    const m = memento();
    void m.update('procWatchdog.alertState', { version: 99, nonsense: true });
    m.writes = 0;
    const store = new AlertStore(m);
    const state = store.load();
    expect(Object.keys(state.entities)).toEqual([]);
    store.save(state);
    expect(m.writes).toBe(0);
    store.save(tick(state, true, 5000).next);
    expect(m.writes).toBe(1);
  });
});
