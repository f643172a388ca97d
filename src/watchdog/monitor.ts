// The watch loop: scan, build signals, reduce alerts, report, then schedule the next scan.
// Time enters only through the injected timers and the scan's boot clock, so tests drive it
// with fake timers and a fake scan. Self-scheduling setTimeout (not setInterval): the next scan
// is armed only after the current one finished, so a slow scan can never pile up behind itself.
import type { ScanResult } from '../proc/types';
import type { AlertState, SnoozeFor } from './alertState';
import { emptyAlertState, markKilled, snooze, unsnooze } from './alertState';
import { reduceAlerts } from './alerts';
import { buildSignals } from './signals';
import type { AlertEvent, Signal, WatchdogConfig } from './types';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The host's timers (what the extension and the CLI pass in; tests pass fakes). */
export const nodeTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface Tick {
  readonly scan: ScanResult;
  readonly signals: readonly Signal[];
  /** Transitions of this tick only (FIRE / REMIND / RECOVERY); empty on a failed scan. */
  readonly events: readonly AlertEvent[];
  /** The alert state after this tick: persist it to survive a reload. */
  readonly state: AlertState;
  /** The config this tick ran with. */
  readonly config: WatchdogConfig;
}

export interface MonitorDeps {
  /** Must not reject in practice (the reader never does); a rejection goes to onError. */
  readonly scan: (config: WatchdogConfig) => Promise<ScanResult>;
  readonly timers: Timers;
  readonly onTick: (tick: Tick) => void;
  readonly onError?: (err: unknown) => void;
  /** Restored state (parseAlertState of what the last session saved). */
  readonly initialState?: AlertState;
}

/** Delay of the first scan after start or re-enable: scheduled, never synchronous in start(). */
const FIRST_SCAN_DELAY_MS = 0;

export class Monitor {
  private config: WatchdogConfig | null = null;
  private state: AlertState;
  private timer: unknown = null;
  private running: Promise<Tick | null> | null = null;
  private disposed = false;

  constructor(private readonly deps: MonitorDeps) {
    this.state = deps.initialState ?? emptyAlertState();
  }

  /** Begin watching with this config (the first scan is scheduled, not run here). */
  start(config: WatchdogConfig): void {
    this.config = config;
    if (this.running === null) this.schedule(FIRST_SCAN_DELAY_MS);
  }

  /**
   * New settings take effect on the next tick. Disabled: the timer is cleared and nothing
   * scans. Re-enabled: a scan is scheduled at once. A changed interval re-arms the pending timer.
   */
  updateConfig(config: WatchdogConfig): void {
    const previous = this.config;
    this.config = config;
    if (previous === null) return; // not started: start() arms the loop
    if (!config.enabled) {
      this.clearTimer();
      return;
    }
    if (this.running !== null) return; // the running scan schedules the next one when it ends
    if (!previous.enabled || this.timer === null) this.schedule(FIRST_SCAN_DELAY_MS);
    else if (previous.intervalSeconds !== config.intervalSeconds)
      this.schedule(config.intervalSeconds * 1000);
  }

  /**
   * Scan now (command palette, after a kill). Joins a scan already running instead of starting
   * a second one. Null when disabled, disposed, not started, or the scan threw.
   */
  scanNow(): Promise<Tick | null> {
    if (this.running !== null) return this.running;
    if (this.disposed || this.config === null || !this.config.enabled) return Promise.resolve(null);
    return this.tick();
  }

  /** A kill was sent from here: its disappearance will recover as 'killed'. */
  markKilled(key: string): void {
    this.state = markKilled(this.state, key);
  }

  /** No FIRE/REMIND for this process while the snooze lasts (at most until it is gone). */
  snooze(key: string, what: SnoozeFor = 'process'): void {
    this.state = snooze(this.state, key, what);
  }

  /** Reminders resume (Unsnooze on a row or in the palette). */
  unsnooze(key: string): void {
    this.state = unsnooze(this.state, key);
  }

  /**
   * The alert state between ticks. The front ends get it with every tick (Tick.state); this is
   * for tests, which check that a failed, disabled or overlapping tick leaves it untouched.
   */
  getState(): AlertState {
    return this.state;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
  }

  private tick(): Promise<Tick | null> {
    this.clearTimer();
    const run = this.runOnce().finally(() => {
      this.running = null;
      if (this.config !== null) this.schedule(this.config.intervalSeconds * 1000);
    });
    this.running = run;
    return run;
  }

  private async runOnce(): Promise<Tick | null> {
    const config = this.config;
    if (config === null) return null;
    let scan: ScanResult;
    try {
      scan = await this.deps.scan(config);
    } catch (err) {
      this.report(err);
      return null;
    }
    // Disabled or disposed while the scan ran: its result must not raise anything.
    if (this.disposed || this.config?.enabled !== true) return null;
    const signals = buildSignals(scan.samples, config);
    const { next, events } = reduceAlerts(
      this.state,
      { signals, scanOk: scan.ok, nowSeconds: scan.uptimeSeconds },
      { cooldownSeconds: config.cooldownSeconds },
    );
    this.state = next;
    const tick: Tick = { scan, signals, events, state: next, config };
    try {
      this.deps.onTick(tick);
    } catch (err) {
      this.report(err);
    }
    return tick;
  }

  private schedule(delayMs: number): void {
    this.clearTimer();
    if (this.disposed || this.config === null || !this.config.enabled) return;
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      void this.tick();
    }, delayMs);
  }

  private clearTimer(): void {
    if (this.timer === null) return;
    this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private report(err: unknown): void {
    try {
      this.deps.onError?.(err);
    } catch {
      // An error handler that throws has nowhere left to report to.
    }
  }
}
