// AlertEvent (and Tick) factories for tests that only care about the event's kind and key (pid:starttime).
import { DEFAULT_CONFIG } from '../../src/watchdog/config';
import { emptyAlertState } from '../../src/watchdog/alertState';
import type { Tick } from '../../src/watchdog/monitor';
import type { AlertEvent, RecoveryReason } from '../../src/watchdog/types';

export const fireEvent = (pid: number, starttime: number): AlertEvent => ({
  type: 'fire',
  key: `${pid}:${starttime}`,
  pid,
  starttime,
  ageSeconds: 4000,
});

export const remindEvent = (pid: number, starttime: number): AlertEvent => ({
  ...(fireEvent(pid, starttime) as Extract<AlertEvent, { type: 'fire' | 'remind' }>),
  type: 'remind',
});

export const recoveryEvent = (pid: number, starttime: number, reason: RecoveryReason): AlertEvent => ({
  type: 'recovery',
  key: `${pid}:${starttime}`,
  pid,
  starttime,
  reason,
  ranSeconds: 5000,
  command: 'pytest',
});

/** A Monitor tick of an ok scan that saw nothing but produced `events` (what the gate reads). */
export const tickWith = (events: AlertEvent[], uptimeSeconds: number): Tick => ({
  scan: {
    ok: true,
    uptimeSeconds,
    samples: [],
    stats: { processes: 0, matched: 0, vanished: 0, denied: 0, malformed: 0, durationMs: 0 },
  },
  signals: [],
  events,
  state: emptyAlertState(),
  config: DEFAULT_CONFIG,
});
