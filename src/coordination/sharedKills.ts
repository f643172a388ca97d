// Kills shared across windows: a window that signals a process records its key in the leader
// lock's folder (read-modify-write under the lock's mutex, any window may write), and every
// window merges the recorded keys into its Monitor on each tick, so whichever window leads
// announces the recovery as "killed". Imports no `vscode`: tested in plain Node.
import type { ScanResult } from '../proc/types';
import { addKilled, liveKilledKeys, parseKilled } from './leaderKilled';
import type { WatchdogConfig } from '../watchdog/types';
import type { LeaderLock } from './leaderLock';

export class SharedKills {
  private pending: string[] = [];
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly lock: LeaderLock,
    private readonly nowMs: () => number = Date.now,
  ) {}

  /**
   * Record a sent signal. Keys recorded in the same turn (a tree kill) are written together in
   * one locked write. Resolves when written (or failed: the local Monitor knows it anyway).
   */
  record(key: string): Promise<void> {
    this.pending.push(key);
    if (this.pending.length > 1) return this.flushing;
    this.flushing = Promise.resolve().then(async () => {
      const keys = this.pending;
      this.pending = [];
      await this.lock.updateState('killed', (previous) =>
        addKilled(parseKilled(previous), keys, this.nowMs()),
      );
    });
    return this.flushing;
  }

  /** Every window's recorded kills, still fresh. Never rejects. */
  async keys(): Promise<string[]> {
    return liveKilledKeys(parseKilled(await this.lock.readState('killed')), this.nowMs());
  }
}

/**
 * Wraps a Monitor's scan so the shared kills are merged after each scan and before the
 * reducer runs (the Monitor reads its state after the scan resolves): a kill recorded by
 * another window any time before the second missed scan makes the recovery "killed".
 */
export function scanWithSharedKills(
  scan: (config: WatchdogConfig) => Promise<ScanResult>,
  shared: SharedKills,
  markKilled: (key: string) => void,
): (config: WatchdogConfig) => Promise<ScanResult> {
  return async (config) => {
    const result = await scan(config);
    for (const key of await shared.keys()) markKilled(key);
    return result;
  };
}
