// Threshold advice (issue 11, item 7): how long matched runs lasted when they ended on their own
// while watched, and a better `ageMinutes` when the threshold is shorter than the longest of them.
// "On their own": gone between two ok scans with no kill sent from here (or from another window)
// and with their launcher still alive at the last sighting; an orphan that finally exits, or a
// run the user ended from here, says nothing about how long a healthy run takes. Pure: the
// controller feeds it each tick and stores what it returns (workspaceState), validated with zod
// when read back.
import * as z from 'zod/mini';
import type { Tick } from './monitor';
import type { Signal } from './types';

const storedSchema = z.object({
  version: z.literal(1),
  /** The longest run that ended on its own, seconds (as last seen: within one interval). */
  longestSeconds: z.number().check(z.minimum(0)),
  /** How many runs ended on their own while watched. */
  runs: z.int().check(z.minimum(0)),
});

export type StoredRunLengths = z.infer<typeof storedSchema>;

/** A matched root at its last sighting. */
interface Watched {
  readonly ageSeconds: number;
  readonly launcherAlive: boolean;
}

export interface RunLengths extends StoredRunLengths {
  /** Matched roots of the last ok scan (not stored: a run ending across a reload is missed). */
  readonly watching: ReadonlyMap<string, Watched>;
  /** What decided which processes match, at that scan (RunObservation.matching). */
  readonly matching: string;
  /** Its killed keys: a run killed one tick and gone the next did not end on its own. */
  readonly killed: ReadonlySet<string>;
}

/** Bound on the runs followed at once (beyond it, the rest are not learned from). */
const MAX_WATCHED = 512;

export function emptyRunLengths(): RunLengths {
  return { version: 1, longestSeconds: 0, runs: 0, watching: new Map(), matching: '', killed: new Set() };
}

/** What was stored (untrusted): anything odd is the empty memory, never a throw. */
export function parseRunLengths(stored: unknown): RunLengths {
  const parsed = storedSchema.safeParse(stored);
  return parsed.success ? { ...emptyRunLengths(), ...parsed.data } : emptyRunLengths();
}

export function storedRunLengths(r: RunLengths): StoredRunLengths {
  return { version: 1, longestSeconds: r.longestSeconds, runs: r.runs };
}

export interface RunObservation {
  readonly scanOk: boolean;
  readonly signals: readonly Signal[];
  /** Keys a kill was sent to, from here or from another window. */
  readonly killedKeys: ReadonlySet<string>;
  /**
   * The settings that decide what matches and what is orphaned (patterns, reapers, proc root),
   * as one string: when they change, a process that stops matching has not ended.
   */
  readonly matching: string;
}

/** One tick: runs gone since the last ok scan are learned from; a failed scan changes nothing. */
export function observeRuns(previous: RunLengths, tick: RunObservation): RunLengths {
  if (!tick.scanOk) return previous;
  const watching = new Map<string, Watched>();
  for (const s of tick.signals) {
    if (watching.size >= MAX_WATCHED) break;
    if (s.sample.leftBy !== undefined && s.sample.leftBy !== null) continue; // not a run of its own
    watching.set(s.key, { ageSeconds: s.sample.ageSeconds, launcherAlive: !s.sample.orphaned });
  }
  let { longestSeconds, runs } = previous;
  const gone = tick.matching === previous.matching ? previous.watching : new Map<string, Watched>();
  for (const [key, seen] of gone) {
    if (watching.has(key) || !seen.launcherAlive || tick.killedKeys.has(key) || previous.killed.has(key))
      continue;
    longestSeconds = Math.max(longestSeconds, seen.ageSeconds);
    runs++;
  }
  return { version: 1, longestSeconds, runs, watching, matching: tick.matching, killed: tick.killedKeys };
}

/**
 * A monitor tick as a RunObservation: its killed keys and its "killed" recoveries, plus
 * `alsoKilled`, kills the tick cannot know of (the editor's rows being terminated right now).
 */
export function tickObservation(tick: Tick, alsoKilled: Iterable<string> = []): RunObservation {
  const killedKeys = new Set([...alsoKilled, ...tick.state.killedKeys]);
  for (const e of tick.events) if (e.type === 'recovery' && e.reason === 'killed') killedKeys.add(e.key);
  return {
    scanOk: tick.scan.ok,
    signals: tick.signals,
    killedKeys,
    matching: JSON.stringify([tick.config.patterns, tick.config.reapers, tick.config.procRoot]),
  };
}

export interface ThresholdAdvice {
  readonly longestSeconds: number;
  readonly ageMinutes: number;
  /** A quarter above the longest run, rounded up to 5 minutes. */
  readonly suggestedMinutes: number;
}

/** Advice when runs that ended on their own outlasted the threshold; null otherwise. */
export function thresholdAdvice(r: StoredRunLengths, ageMinutes: number): ThresholdAdvice | null {
  if (ageMinutes <= 0 || r.runs === 0 || r.longestSeconds <= ageMinutes * 60) return null;
  const suggestedMinutes = Math.ceil((r.longestSeconds * 1.25) / 60 / 5) * 5;
  return { longestSeconds: r.longestSeconds, ageMinutes, suggestedMinutes };
}
