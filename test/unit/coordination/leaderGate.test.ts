// Several "windows" (LeaderGate + LeaderLock on one real tmp folder) in one process, each fed
// the ticks its own Monitor would produce, with a shared fake wall clock.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LeaderGate, staleMsForInterval } from '../../../src/coordination/leaderGate';
import { LeaderLock } from '../../../src/coordination/leaderLock';
import type { AlertEvent } from '../../../src/watchdog/types';
import { fireEvent, recoveryEvent, remindEvent, tickWith } from '../../helpers/alertEvents';

const INTERVAL_S = 30;
const COOLDOWN = 1800;
const fire = (pid: number): AlertEvent => fireEvent(pid, 7);
const remind = (pid: number): AlertEvent => remindEvent(pid, 7);
const recovery = (pid: number): AlertEvent => recoveryEvent(pid, 7, 'killed');

let dir: string;
let wallMs: number;
let uptime: number;
const gate = (id: string): LeaderGate =>
  new LeaderGate(
    new LeaderLock({ dir, ownerId: id, staleMs: staleMsForInterval(INTERVAL_S), nowMs: () => wallMs }),
    () => COOLDOWN,
  );
const tick = (g: LeaderGate, events: AlertEvent[]): Promise<readonly AlertEvent[]> =>
  g.notifiable(tickWith(events, uptime));
const advance = (): void => {
  wallMs += INTERVAL_S * 1000;
  uptime += INTERVAL_S;
};

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pw-gate-'));
  wallMs = 1_700_000_000_000;
  uptime = 50_000;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('LeaderGate: one notification per process across windows', () => {
  it('only the leader shows; after it closes the other takes over within one interval and repeats nothing', async () => {
    const a = gate('A');
    const b = gate('B');
    // Both windows' reducers FIRE for pid 1 on their first tick.
    expect(await tick(a, [fire(1)])).toEqual([fire(1)]);
    expect(await tick(b, [fire(1)])).toEqual([]);
    advance();
    expect(await tick(a, [])).toEqual([]);
    expect(await tick(b, [])).toEqual([]);
    a.dispose(); // window A closes
    advance();
    expect(await tick(b, [fire(2)])).toEqual([fire(2)]); // B leads at its next tick
    expect(b.isLeader).toBe(true);
    // B's own reducer reminds pid 1 before A's announcement is a cooldown old: dropped.
    expect(await tick(b, [remind(1)])).toEqual([]);
    uptime += COOLDOWN;
    expect(await tick(b, [remind(1)])).toEqual([remind(1)]);
    expect(await tick(b, [recovery(1)])).toEqual([recovery(1)]);
  });

  it('release() (watching switched off) hands over at once, and the window can lead again later', async () => {
    const a = gate('A');
    const b = gate('B');
    await tick(a, [fire(1)]);
    a.release();
    expect(await tick(b, [fire(2)])).toEqual([fire(2)]);
    b.dispose();
    expect(await tick(a, [fire(3)])).toEqual([fire(3)]);
  });

  it('a window opened later does not announce again what an earlier (closed) window announced', async () => {
    const a = gate('A');
    expect(await tick(a, [fire(1)])).toEqual([fire(1)]);
    a.dispose();
    advance();
    const c = gate('C'); // fresh reducer: FIREs pid 1 again as new
    expect(await tick(c, [fire(1), fire(3)])).toEqual([fire(3)]);
  });

  it('takes over from a leader that died without releasing, once its lease is stale', async () => {
    const a = gate('A');
    const b = gate('B');
    await tick(a, [fire(1)]);
    await tick(b, [fire(1)]);
    // A hangs: no more ticks. B follows for 2.5 intervals + slack, then leads.
    let ticksUntilLead = 0;
    for (; ticksUntilLead < 10; ticksUntilLead++) {
      advance();
      await tick(b, []);
      if (b.isLeader) break;
    }
    expect(b.isLeader).toBe(true);
    expect(ticksUntilLead + 1).toBeLessThanOrEqual(3);
    expect(await tick(b, [fire(1), fire(4)])).toEqual([fire(4)]);
  });

  it('serializes ticks of one window (results come back in order)', async () => {
    const a = gate('A');
    const results = await Promise.all([tick(a, [fire(1)]), tick(a, [fire(1)]), tick(a, [fire(2)])]);
    expect(results).toEqual([[fire(1)], [], [fire(2)]]);
  });
});
