// Memory of which processes descended from a matched pytest run (issue 13 "lineage"): once the
// run is gone and the child is re-parented onto init, nothing in /proc ties it to the test any
// more, so the tie is remembered while it is visible. Keyed by identity (pid:starttime), bounded,
// and serializable (`toState`/`fromState`) so the editor keeps it across a window reload and the
// CLI across `watch` ticks. Identities are only meaningful within one boot: the state carries the
// boot id and a state from another boot is dropped.
import { identityKey } from './types';
import type { ProcIdentity } from './types';

export interface LineageEntry {
  readonly pid: number;
  readonly starttime: number;
  /** `pid:starttime` of the matched run it descended from. */
  readonly run: string;
  /** The pattern that matched that run. */
  readonly pattern: string;
  readonly basetemp: string | null;
  /** The test's folder under the basetemp (`test_spawns_a_server0`), when its cwd showed it. */
  readonly testDir: string | null;
  /** Boot-clock seconds when last seen as a descendant. */
  readonly seenAt: number;
}

export interface LineageState {
  readonly version: 1;
  /** /proc/sys/kernel/random/boot_id when written; null when unknown. */
  readonly bootId: string | null;
  readonly entries: readonly LineageEntry[];
  /** `--basetemp` directories seen in matched runs' argv, newest last. */
  readonly basetemps: readonly string[];
}

export const MAX_LINEAGE_ENTRIES = 2048;
export const MAX_BASETEMPS = 64;
const MAX_TEXT = 4096;

export class Lineage {
  private readonly entries = new Map<string, LineageEntry>();
  private basetempList: string[] = [];

  constructor(readonly bootId: string | null) {}

  /** A state written in this boot; anything else (another boot, garbage) gives an empty memory. */
  static fromState(value: unknown, bootId: string | null): Lineage {
    const lineage = new Lineage(bootId);
    if (typeof value !== 'object' || value === null) return lineage;
    const state = value as Partial<LineageState>;
    if (state.version !== 1 || state.bootId !== bootId || !Array.isArray(state.entries)) return lineage;
    for (const raw of state.entries.slice(-MAX_LINEAGE_ENTRIES)) {
      const entry = validEntry(raw);
      if (entry !== null) lineage.entries.set(identityKey(entry), entry);
    }
    if (Array.isArray(state.basetemps)) {
      for (const dir of state.basetemps.slice(-MAX_BASETEMPS)) if (validPath(dir)) lineage.addBasetemp(dir);
    }
    return lineage;
  }

  get size(): number {
    return this.entries.size;
  }

  get(id: ProcIdentity): LineageEntry | undefined {
    return this.entries.get(identityKey(id));
  }

  /** Every remembered entry (to check which are still alive). */
  all(): LineageEntry[] {
    return [...this.entries.values()];
  }

  /** A descendant of a matched run seen this scan. Oldest-seen entries go when over the bound. */
  remember(member: Omit<LineageEntry, 'seenAt'>, now: number): void {
    const key = identityKey(member);
    const known = this.entries.get(key);
    this.entries.delete(key); // re-inserted: Map order is then least recently seen first
    this.entries.set(key, {
      ...member,
      // What an earlier scan saw (the cwd in tmp_path) is kept if this one saw less.
      basetemp: member.basetemp ?? known?.basetemp ?? null,
      testDir: member.testDir ?? known?.testDir ?? null,
      seenAt: now,
    });
    for (const key of this.entries.keys()) {
      if (this.entries.size <= MAX_LINEAGE_ENTRIES) break;
      this.entries.delete(key);
    }
  }

  forget(id: ProcIdentity): void {
    this.entries.delete(identityKey(id));
  }

  get basetemps(): readonly string[] {
    return this.basetempList;
  }

  addBasetemp(dir: string): void {
    if (this.basetempList[this.basetempList.length - 1] === dir) return;
    this.basetempList = [...this.basetempList.filter((d) => d !== dir), dir].slice(-MAX_BASETEMPS);
  }

  toState(): LineageState {
    return {
      version: 1,
      bootId: this.bootId,
      entries: [...this.entries.values()],
      basetemps: this.basetempList,
    };
  }
}

function validEntry(raw: unknown): LineageEntry | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const e = raw as Record<string, unknown>;
  if (!isCount(e.pid) || !isCount(e.starttime) || typeof e.seenAt !== 'number' || !Number.isFinite(e.seenAt))
    return null;
  if (typeof e.run !== 'string' || !/^\d{1,10}:\d{1,20}$/.test(e.run)) return null;
  if (typeof e.pattern !== 'string' || e.pattern.length > 256) return null;
  if (e.basetemp !== null && !validPath(e.basetemp)) return null;
  if (e.testDir !== null && (typeof e.testDir !== 'string' || e.testDir.length > 255)) return null;
  return {
    pid: e.pid,
    starttime: e.starttime,
    run: e.run,
    pattern: e.pattern,
    basetemp: e.basetemp,
    testDir: e.testDir,
    seenAt: e.seenAt,
  };
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function validPath(v: unknown): v is string {
  return typeof v === 'string' && v.startsWith('/') && v.length <= MAX_TEXT;
}
