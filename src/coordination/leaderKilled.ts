// Kills sent from any window, shared by every window on the machine, so the leader's recovery
// says "killed" for a process a follower window terminated (DESIGN: recovery reason "killed
// from here" means from this machine's Proc Watchdog, whichever window). Pure: the JSON is read
// and written under the leader lock's mutex by src/coordination/sharedKills.ts.

/** Per key (pid:starttime): wall-clock ms at which a signal was sent. */
export interface KilledState {
  readonly version: 1;
  readonly killed: Readonly<Record<string, number>>;
}

/**
 * A mark older than this is dropped: every window merges it within a tick or two, and its
 * process has long recovered by then. Wall clock: a jump only shortens or lengthens a day.
 */
export const KILLED_TTL_MS = 24 * 60 * 60 * 1000;
/** Keys kept at most; the oldest go first. */
const MAX_KILLED = 1000;

export function emptyKilled(): KilledState {
  return { version: 1, killed: {} };
}

/** Anything that is not a well-formed state counts as empty: a bad file must not wedge kills. */
export function parseKilled(value: unknown): KilledState {
  if (typeof value !== 'object' || value === null) return emptyKilled();
  const v = value as Record<string, unknown>;
  if (v.version !== 1 || typeof v.killed !== 'object' || v.killed === null) return emptyKilled();
  const killed: Record<string, number> = {};
  for (const [key, at] of Object.entries(v.killed as Record<string, unknown>)) {
    if (/^\d+:\d+$/.test(key) && typeof at === 'number' && Number.isFinite(at)) killed[key] = at;
  }
  return { version: 1, killed };
}

/** Add `keys` as killed at nowMs, dropping expired marks and the oldest beyond MAX_KILLED. */
export function addKilled(state: KilledState, keys: readonly string[], nowMs: number): KilledState {
  const killed: Record<string, number> = {};
  for (const [key, at] of Object.entries(state.killed)) if (fresh(at, nowMs)) killed[key] = at;
  for (const key of keys) killed[key] = nowMs;
  const all = Object.keys(killed);
  if (all.length > MAX_KILLED) {
    all.sort((a, b) => killed[a]! - killed[b]!);
    for (const key of all.slice(0, all.length - MAX_KILLED)) delete killed[key];
  }
  return { version: 1, killed };
}

/** The keys to merge into a window's monitor (Monitor.markKilled) now. */
export function liveKilledKeys(state: KilledState, nowMs: number): string[] {
  return Object.entries(state.killed)
    .filter(([, at]) => fresh(at, nowMs))
    .map(([key]) => key);
}

function fresh(atMs: number, nowMs: number): boolean {
  return Math.abs(nowMs - atMs) <= KILLED_TTL_MS;
}
