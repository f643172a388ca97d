// What the user has already been told, shared by every window on the machine, so a window that
// takes over leadership (or opens later) does not announce a process again. Pure: the JSON is
// read and written under the leader lock by src/coordination/leaderGate.ts.
import * as z from 'zod/mini';
import type { AlertEvent } from '../watchdog/types';

/** Per key (pid:starttime): when it was last announced, boot-clock seconds. */
export interface AnnouncedState {
  readonly version: 1;
  /** Boot clock of the last write: a smaller "now" means a reboot, and every key is void. */
  readonly uptimeSeconds: number;
  readonly announced: Readonly<Record<string, number>>;
}

/** Keys kept at most; the oldest go first (processes gone while no window watched). */
export const MAX_ANNOUNCED = 2000;

/** A boot clock this far behind the last write means a reboot (uptime restarts near 0). */
const REBOOT_SLACK_SECONDS = 60;

export function emptyAnnounced(): AnnouncedState {
  return { version: 1, uptimeSeconds: 0, announced: {} };
}

const announcedSchema = z.object({
  version: z.literal(1),
  uptimeSeconds: z.number(),
  announced: z.record(z.string(), z.unknown()),
});

/**
 * Validated with zod like the rest of the stored state. Anything that is not a well-formed state
 * counts as empty (a bad file must not wedge alerts); a bad entry is dropped on its own.
 */
export function parseAnnounced(value: unknown): AnnouncedState {
  const parsed = z.safeParse(announcedSchema, value);
  if (!parsed.success || !Number.isFinite(parsed.data.uptimeSeconds)) return emptyAnnounced();
  return {
    version: 1,
    uptimeSeconds: parsed.data.uptimeSeconds,
    announced: validEntries(parsed.data.announced),
  };
}

/** The `pid:starttime → finite number` entries of a record; the rest is dropped. */
export function validEntries(record: Readonly<Record<string, unknown>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, at] of Object.entries(record)) {
    if (key.length <= 40 && /^\d+:\d+$/.test(key) && typeof at === 'number' && Number.isFinite(at))
      out[key] = at;
  }
  return out;
}

export interface AnnounceResult {
  /** The events this window should show. */
  readonly events: AlertEvent[];
  readonly next: AnnouncedState;
}

/**
 * Filter this leader's events against what any window already announced:
 * - fire: dropped if the key was announced already (by a previous leader);
 * - remind: dropped if the key was announced less than cooldownSeconds ago;
 * - recovery: shown only for keys that were announced (nobody was told it blocked), then forgotten.
 */
export function filterAnnounced(
  shared: AnnouncedState,
  events: readonly AlertEvent[],
  nowSeconds: number,
  cooldownSeconds: number,
): AnnounceResult {
  // Windows scan at slightly different moments, so a small step back is not a reboot.
  const rebooted = nowSeconds + REBOOT_SLACK_SECONDS < shared.uptimeSeconds;
  const announced: Record<string, number> = rebooted ? {} : { ...shared.announced };
  const kept: AlertEvent[] = [];
  for (const e of events) {
    const at = announced[e.key];
    if (e.type === 'recovery') {
      if (at !== undefined) kept.push(e);
      delete announced[e.key];
    } else if (at === undefined || (e.type === 'remind' && nowSeconds - at >= cooldownSeconds)) {
      kept.push(e);
      announced[e.key] = nowSeconds;
    }
  }
  const keys = Object.keys(announced);
  if (keys.length > MAX_ANNOUNCED) {
    keys.sort((a, b) => announced[a]! - announced[b]!);
    for (const key of keys.slice(0, keys.length - MAX_ANNOUNCED)) delete announced[key];
  }
  const uptimeSeconds = rebooted ? nowSeconds : Math.max(nowSeconds, shared.uptimeSeconds);
  return { events: kept, next: { version: 1, uptimeSeconds, announced } };
}
