// The alert state machine as a pure reducer (previous state, this scan, now) -> (next, events),
// like a rule evaluation that is handed its timestamp. Time is the boot clock (/proc/uptime), so
// wall-clock jumps (NTP, suspend/resume on the wall clock) change nothing.
//
// Per entity (pid:starttime):
//   unseen --active--> FIRE (unless snoozed)
//   fired, active, cooldown passed since last notification --> REMIND (unless snoozed)
//   fired, inactive (threshold raised, orphansOnly switched on) --> forgotten as fired, silently
//   fired, absent from two consecutive ok scans --> RECOVERY (killed | pidReused | exited)
//   never fired, absent --> forgotten silently (after two scans if snoozed, so a snooze
//   survives one scan that missed the process)
//   snoozed for a time --> the snooze is dropped at its end; FIRE (never fired) or REMIND
//   (cooldown passed) follow on that scan
// A scan that could not read /proc (scanOk=false) changes nothing: it is no evidence of absence.
import { shortCommand } from './format';
import type { AlertEntity, AlertState } from './alertState';
import { emptyAlertState, isSnoozed } from './alertState';
import type { AlertEvent, RecoveryReason, Signal } from './types';

export interface AlertInput {
  readonly signals: readonly Signal[];
  readonly scanOk: boolean;
  /** Boot clock seconds, e.g. ScanResult.uptimeSeconds. */
  readonly nowSeconds: number;
  /** Keys killed from here since the last tick (merged into the state's own list). */
  readonly killedKeys?: ReadonlySet<string>;
}

export interface AlertConfig {
  readonly cooldownSeconds: number;
}

export interface AlertResult {
  readonly next: AlertState;
  readonly events: AlertEvent[];
}

/** Absent from this many consecutive ok scans = gone (one miss can be a read race). */
const MISSES_TO_RECOVER = 2;

export function reduceAlerts(prev: AlertState, input: AlertInput, config: AlertConfig): AlertResult {
  if (!input.scanOk) return { next: prev, events: [] };
  const now = input.nowSeconds;
  // The boot clock went backwards: the machine rebooted, so every process we knew is gone and
  // every pid:starttime could be reused. Start over rather than recover a previous boot.
  const base = prev.lastScanSeconds !== null && now < prev.lastScanSeconds ? emptyAlertState() : prev;

  const killed = new Set([...base.killedKeys, ...(input.killedKeys ?? [])]);
  const present = new Map(input.signals.map((s) => [s.key, s]));
  const entities: Record<string, AlertEntity> = {};
  const events: AlertEvent[] = [];

  for (const signal of input.signals) {
    const old = base.entities[signal.key];
    const snoozed = isSnoozed(base, signal.key, now);
    let firedAtSeconds = signal.active ? (old?.firedAtSeconds ?? null) : null;
    let notifiedAtSeconds = signal.active ? (old?.notifiedAtSeconds ?? null) : null;
    const ageSeconds = signal.sample.ageSeconds;
    if (signal.active && !snoozed) {
      const common = {
        key: signal.key,
        pid: signal.pid,
        starttime: signal.starttime,
        ageSeconds,
      };
      if (firedAtSeconds === null) {
        events.push({ type: 'fire', ...common });
        firedAtSeconds = now;
        notifiedAtSeconds = now;
      } else if (notifiedAtSeconds === null || now - notifiedAtSeconds >= config.cooldownSeconds) {
        events.push({ type: 'remind', ...common });
        notifiedAtSeconds = now;
      }
    }
    entities[signal.key] = {
      key: signal.key,
      pid: signal.pid,
      starttime: signal.starttime,
      command: shortCommand(signal.sample.argv),
      firedAtSeconds,
      notifiedAtSeconds,
      lastSeenSeconds: now,
      ageSeconds,
      missingScans: 0,
    };
  }

  for (const old of Object.values(base.entities)) {
    if (present.has(old.key)) continue;
    const tracked = old.firedAtSeconds !== null || old.key in base.snoozes;
    if (!tracked) continue;
    const missingScans = old.missingScans + 1;
    if (missingScans < MISSES_TO_RECOVER) {
      entities[old.key] = { ...old, missingScans };
      continue;
    }
    if (old.firedAtSeconds !== null) {
      events.push({
        type: 'recovery',
        key: old.key,
        pid: old.pid,
        starttime: old.starttime,
        reason: recoveryReason(old, killed, input.signals),
        ranSeconds: old.ageSeconds,
        command: old.command,
      });
    }
  }

  // Snoozes and kill marks live at most as long as the process: drop those whose entity is gone,
  // and timed snoozes that have ended.
  const alive = (key: string) => key in entities || present.has(key);
  const snoozes = Object.entries(base.snoozes).filter(
    ([key, s]) => alive(key) && (s.untilSeconds === null || now < s.untilSeconds),
  );
  const next: AlertState = {
    version: 1,
    entities,
    killedKeys: [...killed].filter(alive),
    snoozes: Object.fromEntries(snoozes),
    lastScanSeconds: now,
  };
  return { next, events };
}

function recoveryReason(
  entity: AlertEntity,
  killed: ReadonlySet<string>,
  signals: readonly Signal[],
): RecoveryReason {
  if (killed.has(entity.key)) return 'killed';
  // Only matched processes are seen, so a pid reused by some other program reads as 'exited'.
  if (signals.some((s) => s.pid === entity.pid && s.starttime !== entity.starttime)) return 'pidReused';
  return 'exited';
}
