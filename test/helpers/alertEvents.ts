// AlertEvent factories for tests that only care about the event's kind and key (pid:starttime).
import type { AlertEvent, RecoveryReason } from '../../src/watchdog/types';

export const fireEvent = (pid: number, starttime: number): AlertEvent => ({
  type: 'fire',
  key: `${pid}:${starttime}`,
  pid,
  starttime,
  detail: 'd',
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
