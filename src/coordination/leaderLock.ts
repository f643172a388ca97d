// The fs half of multi-window leader election: a lease file with a heartbeat in the
// extension's global storage folder, shared by every extension host of this user. Imports no
// `vscode` (tests run it in plain Node on a tmp dir). The decision itself is the pure
// decideLeadership().
import { promises as fsp, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { decideLeadership, parseLease } from './leaderElection';

export interface LeaderLockOptions {
  /** Folder shared by all windows (context.globalStorageUri.fsPath). */
  readonly dir: string;
  /** Unique per window (e.g. `${process.pid}-${randomUUID()}`). */
  readonly ownerId: string;
  /** A lease older than this is taken over; keep it above the heartbeat (tick) interval. */
  readonly staleMs: number | (() => number);
  /** Wall clock, ms; injected for tests. */
  readonly nowMs?: () => number;
  /** A mutex folder older than this was left by a crashed window and is removed. */
  readonly mutexStaleMs?: number;
}

export const LEASE_FILE = 'leader.json';
const SHARED_STATE_FILE = 'alertState.json';
/** State any window may write (not only the leader), by name. */
export const WINDOW_STATE_FILES = { killed: 'killed.json' } as const;
export type WindowStateName = keyof typeof WINDOW_STATE_FILES;
const MUTEX_DIR = 'leader.mutex';
const MUTEX_RETRY_MS = 15;
const MUTEX_MAX_TRIES = 100;

/** Why the lock could not be used: another window holds the mutex too long, or the folder fails. */
export type LockFailure = 'busy' | 'io';

export type SharedUpdate<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: 'notLeader' | LockFailure };

type MutexResult<T> = { ok: true; value: T } | { ok: false; reason: LockFailure };

/**
 * Lease-based leader lock. Call tryAcquire() once per tick: it takes the lease when it is free,
 * ours or stale, and renews our heartbeat. Every read-modify-write happens inside a short
 * mkdir() mutex (atomic on every local fs), so two windows never both take a free lease.
 */
export class LeaderLock {
  private leader = false;
  private failed: LockFailure | null = null;
  private readonly nowMs: () => number;
  private readonly mutexStaleMs: number;

  constructor(private readonly opts: LeaderLockOptions) {
    this.nowMs = opts.nowMs ?? Date.now;
    this.mutexStaleMs = opts.mutexStaleMs ?? 10_000;
  }

  /** As of the last tryAcquire/release. */
  get isLeader(): boolean {
    return this.leader;
  }

  /**
   * Set when the last tryAcquire could not use the folder at all ('io': not creatable or not
   * writable). Such a window leads alone: duplicate notifications beat silent ones.
   */
  get failure(): LockFailure | null {
    return this.failed;
  }

  /** Take or renew the lease; true when this window leads now. Never rejects. */
  async tryAcquire(): Promise<boolean> {
    const result = await this.withMutex(async () => {
      const lease = parseLease(await readText(this.file(LEASE_FILE)));
      const staleMs = typeof this.opts.staleMs === 'function' ? this.opts.staleMs() : this.opts.staleMs;
      const decision = decideLeadership(lease, this.opts.ownerId, this.nowMs(), staleMs);
      if (decision.kind === 'follow') return false;
      await writeAtomic(
        this.file(LEASE_FILE),
        JSON.stringify({ ownerId: this.opts.ownerId, heartbeatMs: this.nowMs() }),
      );
      return true;
    });
    // Contention: do not claim leadership; the next tick retries. No usable folder: lead alone.
    this.failed = result.ok ? null : result.reason;
    this.leader = result.ok ? result.value : result.reason === 'io';
    return this.leader;
  }

  /** Give the lease up (window closing) so another window takes over at its next tick. */
  async release(): Promise<void> {
    this.leader = false;
    await this.withMutex(async () => {
      const lease = parseLease(await readText(this.file(LEASE_FILE)));
      if (lease?.ownerId === this.opts.ownerId) await fsp.rm(this.file(LEASE_FILE), { force: true });
    });
  }

  /** The shared alert state as last written by a leader (parsed JSON), or null. */
  async readShared(): Promise<unknown> {
    const text = await readText(this.file(SHARED_STATE_FILE));
    if (text === null) return null;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return null;
    }
  }

  /**
   * Read-modify-write the shared state under the mutex, only while we still hold the lease:
   * a window that lost leadership since its last tick must not overwrite what the new leader
   * announced. `fn` gets the stored state (null when none) and returns the state to store.
   */
  async updateShared<T>(fn: (previous: unknown) => T): Promise<SharedUpdate<T>> {
    const result = await this.withMutex(async (): Promise<SharedUpdate<T>> => {
      const lease = parseLease(await readText(this.file(LEASE_FILE)));
      if (lease?.ownerId !== this.opts.ownerId) return { ok: false, reason: 'notLeader' };
      const text = await readText(this.file(SHARED_STATE_FILE));
      let previous: unknown = null;
      try {
        previous = text === null ? null : (JSON.parse(text) as unknown);
      } catch {
        previous = null;
      }
      const value = fn(previous);
      await writeAtomic(this.file(SHARED_STATE_FILE), JSON.stringify(value));
      return { ok: true, value };
    });
    if (!result.ok) return { ok: false, reason: result.reason };
    if (!result.value.ok) this.leader = false;
    return result.value;
  }

  /** A window-writable state (parsed JSON) as last written, or null. Never rejects. */
  async readState(name: WindowStateName): Promise<unknown> {
    return parseJson(await readText(this.file(WINDOW_STATE_FILES[name])));
  }

  /**
   * Read-modify-write a window-writable state under the mutex, leader or not (a follower's
   * kill must reach the leader). False when the mutex or the folder could not be used.
   */
  async updateState(name: WindowStateName, fn: (previous: unknown) => unknown): Promise<boolean> {
    const file = this.file(WINDOW_STATE_FILES[name]);
    const result = await this.withMutex(async () => {
      await writeAtomic(file, JSON.stringify(fn(parseJson(await readText(file)))));
    });
    return result.ok;
  }

  /** Synchronous best-effort release for deactivate()/dispose, where awaiting is not possible. */
  dispose(): void {
    if (!this.leader) return;
    this.leader = false;
    try {
      const lease = parseLease(readFileSync(this.file(LEASE_FILE), 'utf8'));
      if (lease?.ownerId === this.opts.ownerId) rmSync(this.file(LEASE_FILE), { force: true });
    } catch {
      // Already gone or unreadable: a stale lease is taken over after staleMs anyway.
    }
  }

  private file(name: string): string {
    return path.join(this.opts.dir, name);
  }

  private async withMutex<T>(fn: () => Promise<T>): Promise<MutexResult<T>> {
    const mutex = this.file(MUTEX_DIR);
    try {
      await fsp.mkdir(this.opts.dir, { recursive: true });
    } catch {
      return { ok: false, reason: 'io' };
    }
    for (let attempt = 0; attempt < MUTEX_MAX_TRIES; attempt++) {
      try {
        await fsp.mkdir(mutex);
      } catch (err) {
        if (errorCode(err) !== 'EEXIST') return { ok: false, reason: 'io' };
        await this.breakStaleMutex(mutex);
        await delay(MUTEX_RETRY_MS);
        continue;
      }
      try {
        return { ok: true, value: await fn() };
      } catch {
        return { ok: false, reason: 'io' };
      } finally {
        await fsp.rmdir(mutex).catch(() => undefined);
      }
    }
    return { ok: false, reason: 'busy' };
  }

  private async breakStaleMutex(mutex: string): Promise<void> {
    try {
      const stat = await fsp.stat(mutex);
      // The mutex is held for a few ms; one this old belongs to a window that died inside it.
      // Real wall clock on purpose: mtime is stamped by the kernel, not by the injected clock.
      if (Date.now() - stat.mtimeMs > this.mutexStaleMs) await fsp.rmdir(mutex);
    } catch {
      // Released meanwhile: the next mkdir will tell.
    }
  }
}

function parseJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

async function readText(file: string): Promise<string | null> {
  try {
    return await fsp.readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/** Write to a temp file and rename over: readers never see a torn lease or state. */
async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fsp.writeFile(tmp, text, 'utf8');
  await fsp.rename(tmp, file);
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
