// Kills shared across windows: two "windows" in one process, each with its own LeaderLock (one
// real tmp folder), Monitor and scanner over one fake /proc tree. A kill from the follower must
// make the leader's recovery say 'killed', not 'exited'.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcScanner } from '../../../src/proc/reader';
import { LeaderLock, WINDOW_STATE_FILES } from '../../../src/coordination/leaderLock';
import { SharedKills } from '../../../src/coordination/sharedKills';
import { DEFAULT_CONFIG } from '../../../src/watchdog/config';
import {
  addKilled,
  emptyKilled,
  KILLED_TTL_MS,
  liveKilledKeys,
  parseKilled,
} from '../../../src/coordination/leaderKilled';
import { createMatcher } from '../../../src/watchdog/match';
import { Monitor } from '../../../src/watchdog/monitor';
import type { Tick } from '../../../src/watchdog/monitor';
import type { WatchdogConfig } from '../../../src/watchdog/types';
import { removeFakeProcess, writeFakeProcess, writeUptime } from '../../helpers/fakeProcTree';

const INIT = { pid: 1, ppid: 0, comm: 'tini', argv: ['tini', '--', 'sh'], starttime: 1 };
const KILLED = { pid: 4242, ppid: 1, comm: 'pytest', argv: ['pytest', 'a'], starttime: 500 };
const EXITED = { pid: 4343, ppid: 1, comm: 'pytest', argv: ['pytest', 'b'], starttime: 600 };
const key = (p: { pid: number; starttime: number }): string => `${p.pid}:${p.starttime}`;

let base: string;
let procRoot: string;
let storage: string;
let wallMs: number;
const disposers: Array<() => void> = [];

interface Window {
  readonly lock: LeaderLock;
  readonly shared: SharedKills;
  readonly monitor: Monitor;
  tick(): Promise<Tick>;
}

function openWindow(id: string): Window {
  const config: WatchdogConfig = { ...DEFAULT_CONFIG, procRoot, ageMinutes: 0 };
  const lock = new LeaderLock({ dir: storage, ownerId: id, staleMs: 80_000, nowMs: () => wallMs });
  const shared = new SharedKills(lock, () => wallMs);
  const scanner = new ProcScanner({ procRoot });
  const matcher = createMatcher(config.patterns);
  // The same wiring as src/extension.ts: the shared kills are input to every tick.
  const monitor: Monitor = new Monitor({
    scan: (c) => scanner.scan(matcher, c.reapers),
    killedElsewhere: () => shared.keys(),
    timers: { setTimeout: () => ({}), clearTimeout: () => undefined },
    onTick: () => undefined,
  });
  monitor.start(config);
  disposers.push(() => {
    monitor.dispose();
    scanner.dispose();
  });
  return {
    lock,
    shared,
    monitor,
    async tick() {
      const t = await monitor.scanNow();
      if (t === null) throw new Error('no tick');
      return t;
    },
  };
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'pw-sharedkills-'));
  procRoot = join(base, 'proc');
  storage = join(base, 'globalStorage');
  wallMs = 1_700_000_000_000;
  writeUptime(procRoot, 10_000);
  for (const p of [INIT, KILLED, EXITED]) writeFakeProcess(procRoot, p);
});
afterEach(() => {
  for (const d of disposers.splice(0)) d();
  rmSync(base, { recursive: true, force: true });
});

const recoveries = (t: Tick): Record<string, string> =>
  Object.fromEntries(t.events.flatMap((e) => (e.type === 'recovery' ? [[e.key, e.reason]] : [])));

describe('kills shared across windows', () => {
  it("a follower's kill makes the leader's recovery 'killed'; a plain exit stays 'exited'", async () => {
    const leader = openWindow('A');
    const follower = openWindow('B');
    expect(await leader.lock.tryAcquire()).toBe(true);
    expect(await follower.lock.tryAcquire()).toBe(false);
    for (const w of [leader, follower]) {
      const fired = (await w.tick()).events.filter((e) => e.type === 'fire').map((e) => e.key);
      expect(fired.sort()).toEqual([key(KILLED), key(EXITED)]);
    }

    // The follower kills one (what its markKilled does); the other exits by itself.
    follower.monitor.markKilled(key(KILLED));
    await follower.shared.record(key(KILLED));
    removeFakeProcess(procRoot, KILLED.pid);
    removeFakeProcess(procRoot, EXITED.pid);

    expect(recoveries(await leader.tick())).toEqual({}); // gone once: not yet
    expect(recoveries(await leader.tick())).toEqual({ [key(KILLED)]: 'killed', [key(EXITED)]: 'exited' });
    await follower.tick();
    expect(recoveries(await follower.tick())).toEqual({ [key(KILLED)]: 'killed', [key(EXITED)]: 'exited' });
  });

  it('without the shared record the leader would say exited (the control)', async () => {
    const leader = openWindow('A');
    const follower = openWindow('B');
    await leader.tick();
    follower.monitor.markKilled(key(KILLED)); // local only
    removeFakeProcess(procRoot, KILLED.pid);
    await leader.tick();
    expect(recoveries(await leader.tick())[key(KILLED)]).toBe('exited');
  });

  it('a kill recorded after the first missed scan still counts (merged before the second)', async () => {
    const leader = openWindow('A');
    const follower = openWindow('B');
    await leader.tick();
    removeFakeProcess(procRoot, KILLED.pid);
    await leader.tick();
    await follower.shared.record(key(KILLED));
    expect(recoveries(await leader.tick())[key(KILLED)]).toBe('killed');
  });

  it('keys recorded in one turn (a tree) are written together; two windows writing at once lose nothing', async () => {
    const a = openWindow('A');
    const b = openWindow('B');
    await Promise.all([
      a.shared.record('10:1'),
      a.shared.record('11:1'),
      a.shared.record('12:1'),
      b.shared.record('20:1'),
      b.shared.record('21:1'),
    ]);
    expect((await a.shared.keys()).sort()).toEqual(['10:1', '11:1', '12:1', '20:1', '21:1']);
    const onDisk = JSON.parse(readFileSync(join(storage, WINDOW_STATE_FILES.killed), 'utf8')) as unknown;
    expect(Object.keys(parseKilled(onDisk).killed).sort()).toEqual(['10:1', '11:1', '12:1', '20:1', '21:1']);
  });
});

describe('leaderKilled (pure)', () => {
  it('drops marks older than the TTL and ignores malformed entries', () => {
    const s1 = addKilled(emptyKilled(), ['1:1'], 1000);
    const s2 = addKilled(s1, ['2:2'], 1000 + KILLED_TTL_MS + 1);
    expect(Object.keys(s2.killed)).toEqual(['2:2']);
    expect(liveKilledKeys(s1, 1000 + KILLED_TTL_MS + 1)).toEqual([]);
    expect(parseKilled({ version: 1, killed: { '3:3': 5, bad: 1, '4:4': 'x' } }).killed).toEqual({
      '3:3': 5,
    });
    expect(parseKilled('garbage')).toEqual(emptyKilled());
  });
});
