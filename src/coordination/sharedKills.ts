// Kills shared across windows: a window that signals a process records its key in the leader
// lock's folder (read-modify-write under the lock's mutex, any window may write), and every
// window's Monitor reads the recorded keys after each scan as input to its reducer
// (MonitorDeps.killedElsewhere -> AlertInput.killedKeys), so whichever window leads announces
// the recovery as "killed". Imports no `vscode`: tested in plain Node.
import { addKilled, liveKilledKeys, parseKilled } from './leaderKilled';
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
