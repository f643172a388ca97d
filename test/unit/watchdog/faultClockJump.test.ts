// Fault: the wall clock jumps (NTP step, manual change, suspend). Ages and cooldowns run on the
// boot clock (/proc/uptime), so jumping Date back or forward changes no age and fires nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createHarness } from '../../helpers/monitorHarness';
import type { Harness } from '../../helpers/monitorHarness';
import { writeFakeProcess, writeUptime } from '../../helpers/fakeProcTree';

const START_UPTIME = 10_000;
const INTERVAL = 30;
const OLD = { pid: 4242, ppid: 1, comm: 'pytest', argv: ['pytest'], starttime: (START_UPTIME - 7200) * 100 };
// 50 min old at the start: crosses the 60 min threshold after 10 min of boot-clock time.
const YOUNG = {
  pid: 5151,
  ppid: 1,
  comm: 'pytest',
  argv: ['pytest', '-k', 'slow'],
  starttime: (START_UPTIME - 3000) * 100,
};

const DAY_MS = 86_400_000;
const WALL_JUMPS_MS = [-DAY_MS, 365 * DAY_MS, -2 * 365 * DAY_MS, 3_600_000, 0, 10 * 365 * DAY_MS];

let root: string;
let h: Harness;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pw-fault-clock-'));
  writeFakeProcess(root, OLD);
  writeFakeProcess(root, YOUNG);
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date('2026-11-28T06:00:00Z'));
  h = createHarness(root, { cooldownSeconds: 1800 });
});
afterEach(() => {
  h.dispose();
  vi.useRealTimers();
  rmSync(root, { recursive: true, force: true });
});

describe('wall clock jumps', () => {
  it('change no age and fire nothing beyond what the boot clock says', async () => {
    let uptime = START_UPTIME;
    const fired: Array<[number, string, number]> = [];
    for (let i = 0; i < 24; i++) {
      writeUptime(root, uptime);
      // The wall clock jumps wildly between ticks; the boot clock advances 30 s per tick.
      vi.setSystemTime(Date.now() + WALL_JUMPS_MS[i % WALL_JUMPS_MS.length]!);
      const t = await h.tick();
      for (const s of t.signals) {
        const expected = uptime - s.starttime / 100;
        expect(s.sample.ageSeconds).toBeCloseTo(expected, 6);
      }
      for (const e of t.events) fired.push([i, e.type, e.pid]);
      uptime += INTERVAL;
    }
    // OLD fires on the first tick; YOUNG once OLDER than 60 min: tick 21 (3000 + 21 × 30 = 3630 > 3600).
    // 24 ticks × 30 s = 12 min < the 30 min cooldown: no REMIND, however far the wall clock moved.
    expect(fired).toEqual([
      [0, 'fire', 4242],
      [21, 'fire', 5151],
    ]);
  });

  it('remind still comes exactly when the boot clock passes the cooldown', async () => {
    writeUptime(root, START_UPTIME);
    expect((await h.tick()).events.map((e) => e.type)).toEqual(['fire']);
    vi.setSystemTime(Date.now() - 365 * DAY_MS);
    writeUptime(root, START_UPTIME + 1799);
    expect((await h.tick()).events.filter((e) => e.pid === 4242)).toEqual([]);
    vi.setSystemTime(Date.now() + 2 * 365 * DAY_MS);
    writeUptime(root, START_UPTIME + 1800);
    expect((await h.tick()).events.filter((e) => e.pid === 4242).map((e) => e.type)).toEqual(['remind']);
  });
});
