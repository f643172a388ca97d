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

const stateSchema = z.object({
  version: z.literal(1),
  entities: z.record(z.string(), entitySchema),
  /** Killed from here: a later disappearance recovers as 'killed'. */
  killedKeys: z.array(z.string()),
  /** No FIRE/REMIND for these until the process is gone. */
  snoozedKeys: z.array(z.string()),
  /** Boot-clock seconds of the last ok scan; a smaller `now` means the machine rebooted. */
  lastScanSeconds: z.nullable(z.number()),
});

export type AlertEntity = z.infer<typeof entitySchema>;
export type AlertState = z.infer<typeof stateSchema>;

export function emptyAlertState(): AlertState {
  return { version: 1, entities: {}, killedKeys: [], snoozedKeys: [], lastScanSeconds: null };
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
  const parsed = z.safeParse(stateSchema, value);
  if (!parsed.success) return emptyAlertState();
  // A record entry stored under another key than its own would confuse every lookup.
  for (const [key, entity] of Object.entries(parsed.data.entities)) {
    if (entity.key !== key) return emptyAlertState();
  }
  return parsed.data;
}

/** Remember a kill sent from here, so the disappearance recovers as 'killed'. */
export function markKilled(state: AlertState, key: string): AlertState {
  if (state.killedKeys.includes(key)) return state;
  return { ...state, killedKeys: [...state.killedKeys, key] };
}

/** Suppress FIRE/REMIND for this process until it is gone. */
export function snooze(state: AlertState, key: string): AlertState {
  if (state.snoozedKeys.includes(key)) return state;
  return { ...state, snoozedKeys: [...state.snoozedKeys, key] };
}
