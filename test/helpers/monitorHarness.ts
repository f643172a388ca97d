// Drives the real pipeline (Monitor + reduceAlerts + signals) over the real reader
// (ProcScanner) on a fake /proc tree. Ticks are run explicitly with scanNow(); the injected
// timers only record what the monitor armed (they never fire by themselves).
import { ProcScanner } from '../../src/proc/reader';
import { DEFAULT_CONFIG } from '../../src/watchdog/config';
import { createMatcher } from '../../src/watchdog/match';
import { Monitor } from '../../src/watchdog/monitor';
import type { Tick, Timers } from '../../src/watchdog/monitor';
import type { WatchdogConfig } from '../../src/watchdog/types';

export interface Harness {
  readonly monitor: Monitor;
  readonly scanner: ProcScanner;
  readonly ticks: Tick[];
  /** Run one tick now and return it (throws if the monitor produced none). */
  tick(): Promise<Tick>;
  dispose(): void;
}

export function createHarness(procRoot: string, overrides: Partial<WatchdogConfig> = {}): Harness {
  const config: WatchdogConfig = { ...DEFAULT_CONFIG, procRoot, ...overrides };
  const scanner = new ProcScanner({ procRoot });
  const matcher = createMatcher(config.patterns);
  const timers: Timers = { setTimeout: () => ({}), clearTimeout: () => undefined };
  const ticks: Tick[] = [];
  const monitor = new Monitor({
    scan: (c) => scanner.scan(matcher, c.reapers),
    timers,
    onTick: (t) => void ticks.push(t),
  });
  monitor.start(config);
  return {
    monitor,
    scanner,
    ticks,
    async tick() {
      const t = await monitor.scanNow();
      if (t === null) throw new Error('no tick');
      return t;
    },
    dispose() {
      monitor.dispose();
      scanner.dispose();
    },
  };
}
