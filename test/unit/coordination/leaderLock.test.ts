// Two (or more) "windows" in one process, each a LeaderLock on the same real tmp folder, with a
// shared fake wall clock.
import { existsSync, mkdtempSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEASE_FILE, LeaderLock } from '../../../src/coordination/leaderLock';

const INTERVAL_MS = 30_000;
const STALE_MS = 3 * INTERVAL_MS;

let dir: string;
let now: number;
const clock = (): number => now;
const windowLock = (ownerId: string): LeaderLock =>
  new LeaderLock({ dir, ownerId, staleMs: STALE_MS, nowMs: clock });

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'pw-leader-'));
  now = 1_700_000_000_000;
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('LeaderLock', () => {
  it('lets exactly one of two windows lead, and the leader keeps it by heartbeating', async () => {
    const a = windowLock('A');
    const b = windowLock('B');
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    for (let tick = 0; tick < 10; tick++) {
      now += INTERVAL_MS;
      expect(await a.tryAcquire()).toBe(true);
      expect(await b.tryAcquire()).toBe(false);
    }
  });

  it('hands over within one interval when the leader closes (release)', async () => {
    const a = windowLock('A');
    const b = windowLock('B');
    await a.tryAcquire();
    expect(await b.tryAcquire()).toBe(false);
    await a.release();
    expect(a.isLeader).toBe(false);
    now += INTERVAL_MS;
    expect(await b.tryAcquire()).toBe(true);
    // The old leader, if it came back, now follows.
    expect(await a.tryAcquire()).toBe(false);
  });

  it('dispose() releases synchronously (deactivate cannot await)', async () => {
    const a = windowLock('A');
    const b = windowLock('B');
    await a.tryAcquire();
    a.dispose();
    expect(existsSync(path.join(dir, LEASE_FILE))).toBe(false);
    expect(await b.tryAcquire()).toBe(true);
  });

  it('takes over from a crashed leader only once its heartbeat is stale', async () => {
    const a = windowLock('A');
    const b = windowLock('B');
    await a.tryAcquire(); // A then dies without releasing.
    now += STALE_MS;
    expect(await b.tryAcquire()).toBe(false);
    now += INTERVAL_MS;
    expect(await b.tryAcquire()).toBe(true);
  });

  it('never elects two leaders when many windows race for a free lease', async () => {
    const locks = ['A', 'B', 'C', 'D', 'E', 'F'].map(windowLock);
    const results = await Promise.all(locks.map((l) => l.tryAcquire()));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('shares alert state: the next leader sees what the first announced, a deposed leader cannot overwrite it', async () => {
    const a = windowLock('A');
    const b = windowLock('B');
    await a.tryAcquire();
    const announced = await a.updateShared((prev) => ({ ...(prev as object | null), '4242:100': 'fired' }));
    expect(announced).toEqual({ ok: true, value: { '4242:100': 'fired' } });
    // B follows: it may not write.
    expect(await b.updateShared(() => ({ clobbered: true }))).toEqual({ ok: false, reason: 'notLeader' });
    await a.release();
    await b.tryAcquire();
    expect(await b.readShared()).toEqual({ '4242:100': 'fired' });
    // A still believes it leads (it has not ticked yet) but the lease is B's: refused.
    expect(await a.updateShared(() => ({ clobbered: true }))).toEqual({ ok: false, reason: 'notLeader' });
    expect(a.isLeader).toBe(false);
    expect(await b.readShared()).toEqual({ '4242:100': 'fired' });
  });

  it('treats a corrupt lease file as free and a corrupt state file as empty', async () => {
    writeFileSync(path.join(dir, LEASE_FILE), '{"ownerId":');
    writeFileSync(path.join(dir, 'alertState.json'), 'garbage');
    const a = windowLock('A');
    expect(await a.tryAcquire()).toBe(true);
    expect(await a.readShared()).toBeNull();
    expect(await a.updateShared((prev) => ({ prev }))).toEqual({ ok: true, value: { prev: null } });
  });

  it('breaks a mutex left behind by a window that crashed inside it', async () => {
    const mutex = path.join(dir, 'leader.mutex');
    mkdirSync(mutex);
    const old = new Date(Date.now() - 60_000);
    utimesSync(mutex, old, old);
    expect(await windowLock('A').tryAcquire()).toBe(true);
  });

  it('does not claim leadership while a live mutex is held by someone else', async () => {
    mkdirSync(path.join(dir, 'leader.mutex'));
    const a = new LeaderLock({ dir, ownerId: 'A', staleMs: STALE_MS, nowMs: clock });
    expect(await a.tryAcquire()).toBe(false);
    expect(a.failure).toBe('busy');
  }, 10_000);

  it('leads alone when the storage folder cannot be used (better a duplicate than silence)', async () => {
    const notADir = path.join(dir, 'file');
    writeFileSync(notADir, 'x');
    const a = new LeaderLock({
      dir: path.join(notADir, 'sub'),
      ownerId: 'A',
      staleMs: STALE_MS,
      nowMs: clock,
    });
    expect(await a.tryAcquire()).toBe(true);
    expect(a.failure).toBe('io');
  });

  it('takes staleMs as a function (the tick interval can change)', async () => {
    let staleMs = STALE_MS;
    const a = windowLock('A');
    const b = new LeaderLock({ dir, ownerId: 'B', staleMs: () => staleMs, nowMs: clock });
    await a.tryAcquire();
    now += 10_000;
    expect(await b.tryAcquire()).toBe(false);
    staleMs = 5_000;
    expect(await b.tryAcquire()).toBe(true);
  });
});
