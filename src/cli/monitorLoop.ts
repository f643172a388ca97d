// The Monitor loop that `watch` and `metrics` share: the caller's fail-fast first scan is handed
// to the Monitor as its first tick (so it is not scanned twice), errors go to stderr with a time
// stamp, and the loop runs until SIGINT / SIGTERM (or the test's stop signal).
import { Monitor, nodeTimers } from '../watchdog/monitor';
import type { Tick } from '../watchdog/monitor';
import type { WatchdogConfig } from '../watchdog/types';
import type { ScanResult } from '../proc/types';
import type { CliIo } from './io';
import type { ScanFn } from './scanCommand';

export interface MonitorLoop {
  readonly config: WatchdogConfig;
  /** The scan that proved the proc root readable: the first tick's. */
  readonly first: ScanResult;
  /** Every later scan. */
  readonly scan: ScanFn;
  readonly onTick: (tick: Tick) => void;
  readonly io: CliIo;
  /** The wall-clock prefix of an error line. */
  readonly stamp: () => string;
  /** Resolves when the loop should stop; default: SIGINT or SIGTERM. */
  readonly stopSignal?: Promise<unknown> | undefined;
}

/** Runs the Monitor until stopped, then disposes it; the caller disposes what it made. */
export async function runMonitorLoop(loop: MonitorLoop): Promise<void> {
  const { io, stamp } = loop;
  let handOver: ScanFn | null = () => Promise.resolve(loop.first);
  const monitor = new Monitor({
    scan: (c) => {
      const use = handOver ?? loop.scan;
      handOver = null;
      return use(c);
    },
    timers: nodeTimers,
    onTick: loop.onTick,
    onError: (err) => io.stderr(`${stamp()} error: ${err instanceof Error ? err.message : String(err)}`),
  });
  monitor.start(loop.config);
  await (loop.stopSignal ?? stopOnSignals());
  monitor.dispose();
}

/** Resolves on the first SIGINT or SIGTERM (and stops listening for them). */
function stopOnSignals(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
