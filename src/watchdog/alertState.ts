// The alert state: plain JSON so it can be stored (workspaceState, a file) and survive a window
// reload. Validated with zod when read back; anything odd becomes the empty state, never a throw.
// zod/mini: the tree-shakable functional API (see config.ts for why).
import * as z from 'zod/mini';

const entitySchema = z.object({
  key: z.string(),
  pid: z.int(),
  starttime: z.number(),
  /** shortCommand at the last sighting, for the recovery text. */
  command: z.string(),
  /** Boot-clock seconds of the FIRE; null while it never fired (or went inactive). */
  firedAtSeconds: z.nullable(z.number()),
  /** Boot-clock seconds of the last FIRE or REMIND. */
  notifiedAtSeconds: z.nullable(z.number()),
  lastSeenSeconds: z.number(),
  /** ageSeconds at the last sighting: how long it ran, as far as we know. */
  ageSeconds: z.number(),
  /** Consecutive ok scans that did not see it. */
  missingScans: z.int().check(z.minimum(0)),
});

const snoozeSchema = z.object({
  /** Boot-clock seconds when the snooze ends; null = for as long as the process runs. */
  untilSeconds: z.nullable(z.number()),
  /** Ends with this editor session ("until restart"): never written to storage. */
  session: z.boolean(),
});

const stateSchema = z.object({
  version: z.literal(1),
  entities: z.record(z.string(), entitySchema),
  /** Killed from here: a later disappearance recovers as 'killed'. */
  killedKeys: z.array(z.string()),
  /** No FIRE/REMIND for these while the snooze lasts (at most until the process is gone). */
  snoozes: z.record(z.string(), snoozeSchema),
  /** Boot-clock seconds of the last ok scan; a smaller `now` means the machine rebooted. */
  lastScanSeconds: z.nullable(z.number()),
});

export type AlertEntity = z.infer<typeof entitySchema>;
export type AlertState = z.infer<typeof stateSchema>;
export type Snooze = z.infer<typeof snoozeSchema>;

const SNOOZE_FOR_PROCESS: Snooze = { untilSeconds: null, session: false };

/** What the editor offers: for as long as the process runs, until restart, or for a time. */
export type SnoozeFor = 'process' | 'session' | { readonly seconds: number };

export function emptyAlertState(): AlertState {
  return { version: 1, entities: {}, killedKeys: [], snoozes: {}, lastScanSeconds: null };
}

/** Is this key snoozed at boot-clock `nowSeconds`? A timed snooze ends at its second. */
export function isSnoozed(state: Pick<AlertState, 'snoozes'>, key: string, nowSeconds: number): boolean {
  const s = state.snoozes[key];
  return s !== undefined && (s.untilSeconds === null || nowSeconds < s.untilSeconds);
}

/** What survives a reload: the state without session snoozes ("until restart" ends there). */
export function persistentAlertState(state: AlertState): AlertState {
  const kept = Object.entries(state.snoozes).filter(([, s]) => !s.session);
  if (kept.length === Object.keys(state.snoozes).length) return state;
  return { ...state, snoozes: Object.fromEntries(kept) };
}

/** A JSON-safe deep copy (what to hand to a Memento or JSON.stringify). */
export function serializeAlertState(state: AlertState): unknown {
  return JSON.parse(JSON.stringify(state)) as unknown;
}

/** Accepts the serialized object or its JSON text; garbage gives the empty state. */
export function parseAlertState(json: unknown): AlertState {
  let value = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json) as unknown;
    } catch {
      return emptyAlertState();
    }
  }
  const parsed = z.safeParse(stateSchema, migrate(value));
  if (!parsed.success) return emptyAlertState();
  // A record entry stored under another key than its own would confuse every lookup.
  for (const [key, entity] of Object.entries(parsed.data.entities)) {
    if (entity.key !== key) return emptyAlertState();
  }
  return parsed.data;
}

/** Before snoozes had durations they were a list of keys, each for the process's life. */
function migrate(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('snoozedKeys' in value) || 'snoozes' in value)
    return value;
  const { snoozedKeys, ...rest } = value;
  if (!Array.isArray(snoozedKeys)) return value;
  const keys = snoozedKeys.filter((k): k is string => typeof k === 'string');
  return { ...rest, snoozes: Object.fromEntries(keys.map((k) => [k, SNOOZE_FOR_PROCESS])) };
}

/** Remember a kill sent from here, so the disappearance recovers as 'killed'. */
export function markKilled(state: AlertState, key: string): AlertState {
  if (state.killedKeys.includes(key)) return state;
  return { ...state, killedKeys: [...state.killedKeys, key] };
}

/**
 * Suppress FIRE/REMIND for this process while the snooze lasts (default: until it is gone). A
 * timed snooze counts from the last scan's boot clock, the reducer's only notion of now.
 */
export function snooze(state: AlertState, key: string, what: SnoozeFor = 'process'): AlertState {
  const how: Snooze =
    what === 'process'
      ? SNOOZE_FOR_PROCESS
      : what === 'session'
        ? { untilSeconds: null, session: true }
        : { untilSeconds: (state.lastScanSeconds ?? 0) + what.seconds, session: false };
  return { ...state, snoozes: { ...state.snoozes, [key]: how } };
}

/** Reminders resume at the next scan (at once when the cooldown has passed). */
export function unsnooze(state: AlertState, key: string): AlertState {
  if (!(key in state.snoozes)) return state;
  const { [key]: _dropped, ...rest } = state.snoozes;
  return { ...state, snoozes: rest };
}
