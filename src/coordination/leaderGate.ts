// Multi-window notifications: of several extension hosts on one machine, only the leader shows
// notifications, and only what no window has announced before (shared JSON next to the lease).
// Called once per tick, which is also the lease heartbeat, so nothing runs while watching is
// disabled. Imports no `vscode`: tested in plain Node.
import type { Tick } from '../watchdog/monitor';
import type { AlertEvent } from '../watchdog/types';
import { filterAnnounced, parseAnnounced } from './leaderAnnounced';
import type { LeaderLock } from './leaderLock';

/**
 * Lease staleness for a tick interval: the leader renews once per tick, so a lease is stale
 * after 2.5 intervals (a slow scan or a busy host may delay one renewal) plus 5 s of slack.
 * Takeover: within one interval when the leader closes (it releases), within ~3.5 when it dies.
 */
export function staleMsForInterval(intervalSeconds: number): number {
  return Math.round(intervalSeconds * 2500) + 5000;
}

export class LeaderGate {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly lock: LeaderLock,
    private readonly cooldownSeconds: () => number,
  ) {}

  get isLeader(): boolean {
    return this.lock.isLeader;
  }

  /**
   * Renew or take the lease, then return the events this window should show (in tick order:
   * calls are serialized). Followers get []. Never rejects.
   */
  notifiable(tick: Tick): Promise<readonly AlertEvent[]> {
    const run = this.queue.then(() => this.decide(tick));
    this.queue = run.catch(() => undefined);
    return run.catch(() => [...tick.events]);
  }

  /** Hand leadership over now (watching switched off); the next tick may take it again. */
  release(): void {
    this.lock.dispose();
  }

  /** Window closing: hand leadership over. */
  dispose(): void {
    this.lock.dispose();
  }

  private async decide(tick: Tick): Promise<readonly AlertEvent[]> {
    const leader = await this.lock.tryAcquire();
    if (!leader) return [];
    // The folder cannot be used at all: lead alone rather than stay silent.
    if (this.lock.failure === 'io') return [...tick.events];
    if (tick.events.length === 0 || !tick.scan.ok) return [];
    let shown: AlertEvent[] = [];
    const result = await this.lock.updateShared((previous) => {
      const filtered = filterAnnounced(
        parseAnnounced(previous),
        tick.events,
        tick.scan.uptimeSeconds,
        this.cooldownSeconds(),
      );
      shown = filtered.events;
      return filtered.next;
    });
    if (result.ok) return shown;
    // Lost the lease since tryAcquire: the new leader announces. Mutex trouble: show unfiltered.
    return result.reason === 'notLeader' ? [] : [...tick.events];
  }
}
