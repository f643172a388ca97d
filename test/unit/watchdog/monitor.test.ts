import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ProcessSample, ScanResult } from '../../../src/proc/types';
import { emptyAlertState, parseAlertState } from '../../../src/watchdog/alertState';
import { DEFAULT_CONFIG } from '../../../src/watchdog/config';
import type { Tick, Timers } from '../../../src/watchdog/monitor';
import { Monitor } from '../../../src/watchdog/monitor';
import type { WatchdogConfig } from '../../../src/watchdog/types';
import { makeSample } from '../../helpers/samples';

const config: WatchdogConfig = {
  ...DEFAULT_CONFIG,
  intervalSeconds: 30,
  ageMinutes: 1,
  cooldownSeconds: 1000,
};

function sample(pid: number, ageSeconds: number): ProcessSample {
  return makeSample({ pid, starttime: pid * 10, ageSeconds });
}

function result(uptimeSeconds: number, samples: ProcessSample[], ok = true): ScanResult {
  return {
    ok,
    uptimeSeconds,
    samples,
    stats: { processes: 10, matched: samples.length, vanished: 0, denied: 0, malformed: 0, durationMs: 1 },
  };
}

/** A scan whose completion each test controls; records the config of every call. */
function controlledScan() {
  const calls: WatchdogConfig[] = [];
  const pending: ((r: ScanResult) => void)[] = [];
  const rejects: ((e: unknown) => void)[] = [];
  const scan = (c: WatchdogConfig): Promise<ScanResult> => {
    calls.push(c);
    return new Promise<ScanResult>((resolve, reject) => {
      pending.push(resolve);
      rejects.push(reject);
    });
  };
  return {
    calls,
    scan,
    resolve: async (r: ScanResult) => {
      pending.shift()?.(r);
      rejects.shift();
      await vi.advanceTimersByTimeAsync(0);
    },
    reject: async (e: unknown) => {
      pending.shift();
      rejects.shift()?.(e);
      await vi.advanceTimersByTimeAsync(0);
    },
  };
}

const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

describe('Monitor', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('schedules the first scan instead of running it in start, then one per interval after completion', async () => {
    const s = controlledScan();
    const ticks: Tick[] = [];
    const m = new Monitor({ scan: s.scan, timers, onTick: (t) => ticks.push(t) });
    m.start(config);
    expect(s.calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.calls).toHaveLength(1);
    await s.resolve(result(100, []));
    expect(ticks).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(s.calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.calls).toHaveLength(2);
    m.dispose();
  });

  it('an overrunning scan never piles up: the next is armed only after it ends', async () => {
    const s = controlledScan();
    const m = new Monitor({ scan: s.scan, timers, onTick: () => {} });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(s.calls).toHaveLength(1);
    expect(vi.getTimerCount()).toBe(0);
    await s.resolve(result(100, []));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.calls).toHaveLength(2);
    m.dispose();
  });

  it('disabled means no timer and no scan; re-enabling scans at once', async () => {
    const s = controlledScan();
    const m = new Monitor({ scan: s.scan, timers, onTick: () => {} });
    m.start({ ...config, enabled: false });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(s.calls).toHaveLength(0);
    expect(await m.scanNow()).toBeNull();
    expect(s.calls).toHaveLength(0);
    m.updateConfig(config);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(s.calls).toHaveLength(1);
    await s.resolve(result(1, []));
    m.updateConfig({ ...config, enabled: false });
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(s.calls).toHaveLength(1);
    m.dispose();
  });

  it('disabling during a scan drops its result and arms nothing', async () => {
    const s = controlledScan();
    const ticks: Tick[] = [];
    const m = new Monitor({ scan: s.scan, timers, onTick: (t) => ticks.push(t) });
    m.start({ ...config, ageMinutes: 0 });
    await vi.advanceTimersByTimeAsync(0);
    m.updateConfig({ ...config, enabled: false });
    await s.resolve(result(100, [sample(5, 9999)]));
    expect(ticks).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(m.getState().entities).toEqual({});
  });

  it('scanNow joins a running scan (never two at once)', async () => {
    const s = controlledScan();
    const m = new Monitor({ scan: s.scan, timers, onTick: () => {} });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    const a = m.scanNow();
    const b = m.scanNow();
    expect(a).toBe(b);
    expect(s.calls).toHaveLength(1);
    await s.resolve(result(5, []));
    expect((await a)?.scan.uptimeSeconds).toBe(5);
    m.dispose();
  });

  it('scanNow when idle scans at once and re-arms a single timer from its end', async () => {
    const s = controlledScan();
    const m = new Monitor({ scan: s.scan, timers, onTick: () => {} });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await s.resolve(result(1, []));
    await vi.advanceTimersByTimeAsync(20_000);
    const now = m.scanNow();
    expect(s.calls).toHaveLength(2);
    expect(vi.getTimerCount()).toBe(0);
    await s.resolve(result(21, []));
    await now;
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(29_999);
    expect(s.calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.calls).toHaveLength(3);
    m.dispose();
  });

  it('feeds scans through signals and the reducer: fire, then recovery as killed', async () => {
    const s = controlledScan();
    const ticks: Tick[] = [];
    const m = new Monitor({ scan: s.scan, timers, onTick: (t) => ticks.push(t) });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await s.resolve(result(1000, [sample(7, 120), sample(8, 10)]));
    expect(ticks[0]?.signals.map((x) => [x.key, x.active])).toEqual([
      ['7:70', true],
      ['8:80', false],
    ]);
    expect(ticks[0]?.events.map((e) => `${e.type} ${e.key}`)).toEqual(['fire 7:70']);
    m.markKilled('7:70');
    for (const now of [1030, 1060]) {
      await vi.advanceTimersByTimeAsync(30_000);
      await s.resolve(result(now, []));
    }
    expect(ticks[2]?.events).toMatchObject([{ type: 'recovery', key: '7:70', reason: 'killed' }]);
    expect(ticks[2]?.state).toBe(m.getState());
    m.dispose();
  });

  it('snooze suppresses the fire', async () => {
    const s = controlledScan();
    const ticks: Tick[] = [];
    const m = new Monitor({ scan: s.scan, timers, onTick: (t) => ticks.push(t) });
    m.snooze('7:70');
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await s.resolve(result(1000, [sample(7, 120)]));
    expect(ticks[0]?.events).toEqual([]);
    m.dispose();
  });

  it('a failed scan ticks with no events and the same state', async () => {
    const s = controlledScan();
    const ticks: Tick[] = [];
    const m = new Monitor({ scan: s.scan, timers, onTick: (t) => ticks.push(t) });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await s.resolve(result(1000, [sample(7, 120)]));
    const before = m.getState();
    for (let i = 0; i < 3; i++) {
      await vi.advanceTimersByTimeAsync(30_000);
      await s.resolve(result(0, [], false));
    }
    expect(ticks.slice(1).map((t) => t.events)).toEqual([[], [], []]);
    expect(m.getState()).toBe(before);
    m.dispose();
  });

  it('a rejecting scan or throwing onTick goes to onError and the loop goes on', async () => {
    const s = controlledScan();
    const errors: unknown[] = [];
    const m = new Monitor({
      scan: s.scan,
      timers,
      onTick: () => {
        throw new Error('ui broke');
      },
      onError: (e) => errors.push(e),
    });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await s.reject(new Error('boom'));
    await vi.advanceTimersByTimeAsync(30_000);
    expect(s.calls).toHaveLength(2);
    await s.resolve(result(1, []));
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'ui broke']);
    expect(vi.getTimerCount()).toBe(1);
    m.dispose();
  });

  it('config changes apply on the next tick; a new interval re-arms the timer', async () => {
    const s = controlledScan();
    const m = new Monitor({ scan: s.scan, timers, onTick: () => {} });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await s.resolve(result(1, []));
    m.updateConfig({ ...config, intervalSeconds: 5, patterns: ['tox'] });
    await vi.advanceTimersByTimeAsync(5_000);
    expect(s.calls).toHaveLength(2);
    expect(s.calls[1]?.patterns).toEqual(['tox']);
    m.dispose();
  });

  it('dispose clears the timer and drops an in-flight result', async () => {
    const s = controlledScan();
    const ticks: Tick[] = [];
    const m = new Monitor({ scan: s.scan, timers, onTick: (t) => ticks.push(t) });
    m.start(config);
    await vi.advanceTimersByTimeAsync(0);
    m.dispose();
    await s.resolve(result(1, []));
    expect(ticks).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
    expect(await m.scanNow()).toBeNull();
  });

  it('restored state carries over: a fired process gone after reload recovers', async () => {
    const s = controlledScan();
    const ticks: Tick[] = [];
    const first = new Monitor({ scan: s.scan, timers, onTick: (t) => ticks.push(t) });
    first.start(config);
    await vi.advanceTimersByTimeAsync(0);
    await s.resolve(result(1000, [sample(9, 500)]));
    const saved = JSON.parse(JSON.stringify(first.getState())) as unknown;
    first.dispose();
    const second = new Monitor({
      scan: s.scan,
      timers,
      onTick: (t) => ticks.push(t),
      initialState: parseAlertState(saved),
    });
    second.start(config);
    for (const now of [1100, 1130]) {
      await vi.advanceTimersByTimeAsync(30_000);
      await s.resolve(result(now, []));
    }
    expect(ticks.flatMap((t) => t.events.map((e) => e.type))).toEqual(['fire', 'recovery']);
    expect(second.getState()).toEqual({ ...emptyAlertState(), lastScanSeconds: 1130 });
    second.dispose();
  });
});
