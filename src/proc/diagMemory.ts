// What diagnosis read about each process last scan, reused while the process has not run since.
// A single-threaded task whose exact runtime (schedstat field 1, nanoseconds, not the tick-
// sampled utime) did not move has not executed a single instruction: it cannot have opened or
// closed an fd, forked, changed its cwd or title, or woken from where it sleeps. So its fd links,
// children, argv, cwd and wchan are those of last scan, and one pread of schedstat replaces a
// dozen reads (the steady scan must stay under the C floor with diagnosis on; PERF-NOTES).
// Not covered, and why that is fine: a child that exits while auto-reaped disappears without
// its parent running (its stale pid then fails its stat read and is skipped); a subreaper gains
// orphans without running (pytest is not one). Multi-threaded processes are read in full: the
// main thread's runtime says nothing about the others.
import { parseSchedstat } from './activity';
import type { DiagReader } from './diagRead';
import type { ListeningSocket } from './diagnosisTypes';
import type { FdScan } from './holdsReader';
import type { Subject } from './runTree';

export interface Probe {
  /** Time on a CPU plus time runnable, waiting for one (schedstat 1 + 2), ns; null if unreadable. */
  readonly demandNs: number | null;
  /** Has not run since last scan (and is single-threaded): what was read then still holds. */
  readonly quiet: boolean;
}

/** The reads that a quiet process lets diagnosis skip. */
export interface Recalled {
  fds: FdScan;
  wchan: string | null;
  children: number[] | null;
  argv: readonly string[];
  cwd: string | null;
  /**
   * Its sockets found listening, by inode: a listening socket it still holds stays listening
   * (only a shutdown by another holder of the same socket would end that; not worth a table
   * read every scan), so a quiet holder needs no socket table for them.
   */
  listeners: Map<number, ListeningSocket>;
}

interface Entry {
  runtimeNs: number | null;
  touched: number;
  values: Partial<Recalled>;
}

/** Bound on remembered processes (matches and descendants; beyond it nothing is reused). */
const MAX_ENTRIES = 8192;

export class DiagMemory {
  private readonly entries = new Map<string, Entry>();
  private probes = new Map<string, Probe>();
  private scan = 0;

  /** Starts a scan: forgets processes the previous scan did not diagnose. */
  nextScan(): void {
    this.entries.forEach((entry, key) => {
      if (entry.touched !== this.scan) this.entries.delete(key);
    });
    this.probes = new Map();
    this.scan++;
  }

  /** schedstat of `s`, read once per scan (through a kept fd), and whether it stayed quiet. */
  probe(reader: DiagReader, s: Pick<Subject, 'pid' | 'key' | 'threads'>): Probe {
    const key = s.key;
    const known = this.probes.get(key);
    if (known !== undefined) return known;
    const text = reader.small(s.pid, 'schedstat', true);
    const parsed = text.ok ? parseSchedstat(text.value) : null;
    const runtimeNs = parsed?.runtimeNs ?? null;
    let entry = this.entries.get(key);
    const quiet = s.threads === 1 && runtimeNs !== null && entry?.runtimeNs === runtimeNs;
    if (entry === undefined && this.entries.size < MAX_ENTRIES) {
      entry = { runtimeNs, touched: this.scan, values: {} };
      this.entries.set(key, entry);
    }
    if (entry !== undefined) {
      entry.touched = this.scan;
      entry.runtimeNs = runtimeNs;
      if (!quiet) entry.values = {};
    }
    const probe: Probe = { demandNs: parsed?.demandNs ?? null, quiet };
    this.probes.set(key, probe);
    return probe;
  }

  /** The value read last scan when `s` stayed quiet, else `read()` now (and remembered). */
  recall<K extends keyof Recalled>(
    reader: DiagReader,
    s: Pick<Subject, 'pid' | 'key' | 'threads'>,
    field: K,
    read: () => Recalled[K],
  ): Recalled[K] {
    const quiet = this.probe(reader, s).quiet;
    const entry = this.entries.get(s.key);
    if (quiet && entry !== undefined && field in entry.values) return entry.values[field] as Recalled[K];
    const value = read();
    if (entry !== undefined) entry.values[field] = value;
    return value;
  }
}
