// The scan behind every long-running front end (the editor's Monitor, the CLI's `watch` and
// `metrics`): one DiagnosingScanner kept across scans, so its fds stay open and every scan after
// the first few is a steady one (src/proc/fdCache.ts, the gate in scanEntry.ts); CPU percent is
// measured from one scan to the next (the first takes two readings SAMPLE_AFTER_MS apart, as
// `scan` does); and the lineage of test children is remembered across them (issue 13). Recreated
// when the proc root changes; the matcher is rebuilt only when the patterns change. The matcher
// comes from a factory (src/watchdog/match.ts) because src/proc does not import the pipeline.
// Lineage survives a window reload through `store` (the editor's workspaceState), written only
// when it changed and capped at STORED_LINEAGE_ENTRIES.
import { DiagnosingScanner, SAMPLE_AFTER_MS } from './diagnosingScanner';
import type { LineageState } from './lineage';
import type { ArgvMatcher, ScanResult } from './types';

/** New orphans examined per scan: scans repeat, so a crowded first one is spread over a few. */
const ORPHAN_BUDGET = 32;
/** Most lineage entries persisted (the most recently seen): a memento is not a database. */
export const STORED_LINEAGE_ENTRIES = 512;

/** The settings a kept scan runs on (a subset of WatchdogConfig). */
export interface KeptScanConfig {
  readonly procRoot: string;
  readonly patterns: readonly string[];
  readonly reapers: readonly string[];
  readonly testChildren: boolean;
}

/** Where lineage is kept across restarts of the front end; both calls must not throw. */
export interface LineageStore {
  load(): unknown;
  save(state: LineageState): void;
}

export interface KeptScannerOptions {
  readonly createMatcher: (patterns: readonly string[]) => ArgvMatcher;
  /** Workspace folders (open files under them are listed; a cwd's folder is named). */
  readonly workspaces?: () => readonly string[];
  readonly store?: LineageStore;
  /** How the first scan waits SAMPLE_AFTER_MS for its second CPU reading (tests count it). */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * What decides whether lineage changed: identities and ties, not the seen-at clock nor the boot
 * id (a state of another boot is dropped on load, so an empty memory is never written).
 */
function lineageFingerprint(state: Pick<LineageState, 'entries' | 'basetemps'>): string {
  const parts = state.entries.map((e) => `${e.pid}:${e.starttime}>${e.run}|${e.basetemp}|${e.testDir}`);
  return `${parts.join('\n')}\n\n${state.basetemps.join('\n')}`;
}
const EMPTY_FINGERPRINT = lineageFingerprint({ entries: [], basetemps: [] });

/** The state as persisted: the most recently seen entries only. */
export function boundedLineage(state: LineageState): LineageState {
  return state.entries.length <= STORED_LINEAGE_ENTRIES
    ? state
    : { ...state, entries: state.entries.slice(-STORED_LINEAGE_ENTRIES) };
}

export class KeptScanner {
  private scanner: DiagnosingScanner | null = null;
  private procRoot = '';
  private patternsKey = '';
  private matcher: ArgvMatcher;
  private savedFingerprint: string | null = EMPTY_FINGERPRINT;
  /** A scan of this scanner succeeded: CPU is measured from one scan to the next. */
  private measured = false;

  constructor(private readonly options: KeptScannerOptions) {
    this.matcher = options.createMatcher([]);
  }

  async scan(config: KeptScanConfig): Promise<ScanResult> {
    if (this.scanner === null || config.procRoot !== this.procRoot) {
      this.scanner?.dispose();
      this.scanner = new DiagnosingScanner({
        procRoot: config.procRoot,
        lineage: this.load(),
        ...(this.options.sleep ? { sleep: this.options.sleep } : {}),
      });
      this.procRoot = config.procRoot;
      this.measured = false;
    }
    const key = JSON.stringify(config.patterns);
    if (key !== this.patternsKey) {
      this.matcher = this.options.createMatcher(config.patterns);
      this.patternsKey = key;
    }
    const scanner = this.scanner;
    const result = await scanner.scan(this.matcher, config.reapers, {
      testChildren: config.testChildren,
      workspaces: this.options.workspaces?.() ?? [],
      orphanBudget: ORPHAN_BUDGET,
      // The first scan has no earlier reading to measure CPU against: without a second one, what
      // already runs when watching starts would say "unknown" until the next scan, and the first
      // alert could not say "burning a core".
      sampleAfterMs: this.measured ? 0 : SAMPLE_AFTER_MS,
    });
    if (result.ok) this.measured = true;
    if (result.ok && config.testChildren) this.save(scanner);
    return result;
  }

  /** Closes the kept fds; the lineage was saved after the last scan. */
  dispose(): void {
    this.scanner?.dispose();
    this.scanner = null;
  }

  private load(): unknown {
    try {
      return this.options.store?.load();
    } catch {
      return undefined;
    }
  }

  private save(scanner: DiagnosingScanner): void {
    const store = this.options.store;
    if (store === undefined) return;
    const state = boundedLineage(scanner.lineageState());
    const fingerprint = lineageFingerprint(state);
    if (fingerprint === this.savedFingerprint) return;
    this.savedFingerprint = fingerprint;
    try {
      store.save(state);
    } catch {
      this.savedFingerprint = null; // retried after the next scan
    }
  }
}
