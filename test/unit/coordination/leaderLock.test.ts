// Two (or more) "windows" in one process, each a LeaderLock on the same real tmp folder, with a
// shared fake wall clock.
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEASE_FILE, LeaderLock, MAX_BUSY_ROUNDS } from '../../../src/coordination/leaderLock';

/** The shared alert state's file (leaderLock.ts), read back to see what a leader wrote. */
const SHARED_STATE_FILE = 'alertState.json';

const INTERVAL_MS = 30_000;
const STALE_MS = 3 * INTERVAL_MS;

let dir: string;
let now: number;
const clock = (): number => now;
const shared = (): unknown => JSON.parse(readFileSync(path.join(dir, SHARED_STATE_FILE), 'utf8'));
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

  it('hands over within one interval when the leader closes (dispose)', async () => {
    const a = windowLock('A');
    const b = windowLock('B');
    await a.tryAcquire();
    expect(await b.tryAcquire()).toBe(false);
    a.dispose();
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
    // A's lease lapses (it stopped ticking); B takes over.
    now += STALE_MS + 1;
    await b.tryAcquire();
    expect(shared()).toEqual({ '4242:100': 'fired' });
    // A still believes it leads (it has not ticked yet) but the lease is B's: refused.
    expect(await a.updateShared(() => ({ clobbered: true }))).toEqual({ ok: false, reason: 'notLeader' });
    expect(a.isLeader).toBe(false);
    expect(shared()).toEqual({ '4242:100': 'fired' });
  });

  it('treats a corrupt lease file as free and a corrupt state file as empty', async () => {
    writeFileSync(path.join(dir, LEASE_FILE), '{"ownerId":');
    writeFileSync(path.join(dir, 'alertState.json'), 'garbage');
    const a = windowLock('A');
    expect(await a.tryAcquire()).toBe(true);
    expect(await a.updateShared((prev) => ({ prev }))).toEqual({ ok: true, value: { prev: null } });
  });

  // Every kind of leftover `leader.mutex` (issue 8: one that is never removed silences every
  // window): each is removed once its mtime is more than mutexStaleMs from now, either way.
  const MUTEX = (): string => path.join(dir, 'leader.mutex');
  const setMtime = (file: string, offsetMs: number): void => {
    const at = new Date(Date.now() + offsetMs);
    utimesSync(file, at, at);
  };
  it.each([
    ['an empty folder (a window crashed inside the mutex)', (): void => mkdirSync(MUTEX())],
    [
      'a non-empty folder (rmdir alone fails on it)',
      (): void => {
        mkdirSync(path.join(MUTEX(), 'sub'), { recursive: true });
        writeFileSync(path.join(MUTEX(), 'sub', 'x'), 'x');
      },
    ],
    ['a plain file of that name', (): void => writeFileSync(MUTEX(), 'x')],
  ])('removes a stale leftover: %s', async (_kind, make) => {
    make();
    setMtime(MUTEX(), -60_000);
    expect(await windowLock('A').tryAcquire()).toBe(true);
    expect(existsSync(MUTEX())).toBe(false);
  });

  it.each([
    ['an empty folder', (): void => mkdirSync(MUTEX())],
    ['a plain file', (): void => writeFileSync(MUTEX(), 'x')],
  ])('removes a leftover with an mtime in the future: %s (|now − mtime| counts)', async (_kind, make) => {
    make();
    setMtime(MUTEX(), +3_600_000);
    expect(await windowLock('A').tryAcquire()).toBe(true);
    expect(existsSync(MUTEX())).toBe(false);
  });

  it('does not claim leadership while a live mutex is held by someone else', async () => {
    mkdirSync(MUTEX());
    const a = new LeaderLock({ dir, ownerId: 'A', staleMs: STALE_MS, nowMs: clock, mutexTries: 3 });
    expect(await a.tryAcquire()).toBe(false);
    expect(a.failure).toBe('busy');
    expect(existsSync(MUTEX())).toBe(true);
  });

  it(`leads alone after ${MAX_BUSY_ROUNDS} busy rounds in a row, and with the lock again once it is free`, async () => {
    mkdirSync(MUTEX());
    const a = new LeaderLock({ dir, ownerId: 'A', staleMs: STALE_MS, nowMs: clock, mutexTries: 2 });
    for (let round = 1; round < MAX_BUSY_ROUNDS; round++) {
      expect(await a.tryAcquire()).toBe(false);
      expect(a.leadsAlone).toBe(false);
    }
    // Held this long it is not contention: duplicates beat silence.
    expect(await a.tryAcquire()).toBe(true);
    expect(a.leadsAlone).toBe(true);
    rmSync(MUTEX(), { recursive: true });
    expect(await a.tryAcquire()).toBe(true);
    expect(a.leadsAlone).toBe(false);
    expect(a.failure).toBeNull();
  });

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
    expect(a.leadsAlone).toBe(true);
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
