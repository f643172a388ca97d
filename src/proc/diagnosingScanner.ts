// The reader with diagnosis: one ProcScanner scan (every cmdline, stat & co. for matches), then,
// for the matches and their descendants only, what they are doing (issue 11), and the processes
// tests left behind (issue 13). CPU percent needs two readings: the previous scan's (watch, the
// editor), or a second reading after `sampleAfterMs` (a one-shot `scan`).
import { performance } from 'node:perf_hooks';
import type { CpuReading } from './activity';
import { basetempOption } from './basetemp';
import { USER_HZ } from './constants';
import { DiagMemory } from './diagMemory';
import { DiagReader } from './diagRead';
import { cwdOf, diagnoseRun } from './diagnose';
import { firstReadings, readUptime, rememberWorkers, resample } from './diagnosisRuns';
import type { Run } from './diagnosisRuns';
import type { DiagnoseContext } from './diagnose';
import type { Diagnosis } from './diagnosisTypes';
import { Slicer } from './slicer';
import { GitPlaces } from './gitBranch';
import type { GitPlace } from './gitBranch';
import { NetTables } from './holdsReader';
import { LeftBehindFinder, leftBehindSample } from './leftBehind';
import type { FindOptions } from './leftBehind';
import { Lineage } from './lineage';
import type { LineageState } from './lineage';
import { nodeProcFs } from './procFs';
import { ProcScanner } from './reader';
import type { ProcScannerOptions } from './reader';
import { discoverDescendants, subjectFromSample } from './runTree';
import { gitFileReader } from './smallFile';
import type { SmallFileReader } from './smallFile';
import type { ArgvMatcher, ProcessSample, ScanResult } from './types';

/**
 * How long a scan with no earlier reading to measure CPU against (`scan`, the first scan of
 * `watch` and of the editor) waits for the second one. Matches and their descendants only.
 */
export const SAMPLE_AFTER_MS = 500;

export interface DiagnosisOptions {
  /**
   * Take a second CPU reading this long after the first (a one-shot scan, or the first of a kept
   * scanner); 0: use the previous scan's. No pause when nothing is diagnosed.
   */
  readonly sampleAfterMs?: number;
  /**
   * Look among init's children for processes left behind by tests (default true;
   * `--no-test-children`). Off, a watched run's own workers are still listed once it is gone.
   */
  readonly testChildren?: boolean;
  /** Workspace folders: open files under them are listed, and a cwd's folder is named. */
  readonly workspaces?: readonly string[];
  /**
   * Most new orphans examined for test evidence per scan (default: all, as a one-shot scan needs);
   * a scanner that runs again (watch, the editor) can spread a crowded machine over a few scans.
   */
  readonly orphanBudget?: number;
}

export interface DiagnosingScannerOptions extends ProcScannerOptions {
  /** A LineageState saved earlier (untrusted: validated, dropped if from another boot). */
  readonly lineage?: unknown;
  readonly gitReader?: SmallFileReader;
  readonly sleep?: (ms: number) => Promise<void>;
}

export class DiagnosingScanner {
  private readonly scanner: ProcScanner;
  private readonly reader: DiagReader;
  private readonly userHz: number;
  private readonly sliceMs: number;
  private readonly gitPlaces: GitPlaces;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly finder = new LeftBehindFinder();
  private readonly diagMemory = new DiagMemory();
  private readonly restored: unknown;
  private lineage: Lineage | null = null;
  private previous = new Map<string, CpuReading>();
  /** Last scan's diagnosis of each run, reused for a lone process that has not run since. */
  private diagnoses = new Map<string, Diagnosis>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(options: DiagnosingScannerOptions = {}) {
    // Matches' cwd links are read below, and only for those that ran since the last scan.
    this.scanner = new ProcScanner({ ...options, readCwd: false });
    const root = options.procRoot ?? '/proc';
    this.reader = new DiagReader(options.fs ?? nodeProcFs, root.endsWith('/') ? root : `${root}/`);
    this.userHz = options.userHz ?? USER_HZ;
    this.sliceMs = options.sliceMs ?? 2;
    this.gitPlaces = new GitPlaces(options.gitReader ?? gitFileReader);
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.restored = options.lineage;
  }

  get cachedFds(): number {
    return this.scanner.cachedFds;
  }

  /** See ProcScanner.gating. */
  get gating(): boolean {
    return this.scanner.gating;
  }

  /** Serialized like ProcScanner.scan. Never rejects. */
  scan(
    matcher: ArgvMatcher,
    reapers: readonly string[],
    options: DiagnosisOptions = {},
  ): Promise<ScanResult> {
    const run = this.queue.then(() => this.scanNow(matcher, reapers, options));
    this.queue = run.catch(() => undefined);
    return run.catch((error: unknown): ScanResult => ({
      ok: false,
      error: `scan failed: ${String(error)}`,
      uptimeSeconds: 0,
      samples: [],
      stats: { processes: 0, matched: 0, vanished: 0, denied: 0, malformed: 0, durationMs: 0 },
    }));
  }

  /** What to persist (the editor: workspaceState) so lineage survives a reload. */
  lineageState(): LineageState {
    return this.memory().toState();
  }

  dispose(): void {
    this.scanner.dispose();
    this.reader.kept.clear();
  }

  private memory(): Lineage {
    if (this.lineage === null) {
      const boot = this.readBootId();
      this.lineage = Lineage.fromState(this.restored, boot);
    }
    return this.lineage;
  }

  private readBootId(): string | null {
    try {
      const { text } = this.reader.readCapped(`${this.reader.rootSlash}sys/kernel/random/boot_id`, 128);
      const id = text.trim();
      return id === '' ? null : id;
    } catch {
      return null;
    }
  }

  private async scanNow(
    matcher: ArgvMatcher,
    reapers: readonly string[],
    options: DiagnosisOptions,
  ): Promise<ScanResult> {
    const result = await this.scanner.scan(matcher, reapers);
    if (!result.ok) return result;
    const started = performance.now();
    const slicer = new Slicer(this.sliceMs);
    // The reader's last slice ended just now, with no turn of the loop since: start on a fresh one.
    await slicer.pause();
    this.reader.kept.nextScan();
    this.diagMemory.nextScan();
    const testChildren = options.testChildren ?? true;
    const lineage = this.memory();
    let now = result.uptimeSeconds;

    let runs: Run[] = [];
    for (const sample of result.samples) {
      if (slicer.due()) await slicer.pause();
      const subject = subjectFromSample(sample, this.userHz);
      const cwd = cwdOf(this.diagMemory, this.reader, subject);
      const tree = discoverDescendants(this.reader, subject, this.diagMemory);
      runs.push({ sample, subject, cwd, ...tree, leftBy: null });
      const option = basetempOption(sample.argv);
      if (option !== null && testChildren) lineage.addBasetemp(option);
    }
    // The workers of a watched run stay listed once their pytest is gone (issue 11: a root-only
    // kill or a crash must not hide them), whatever testChildren says; testChildren adds the
    // search among init's children for processes no run was seen to start (issue 13).
    if (slicer.due()) await slicer.pause();
    runs.push(
      ...(await this.leftBehind(runs, lineage, reapers, now, slicer, {
        orphans: testChildren,
        budget: options.orphanBudget,
      })),
    );

    let previous: ReadonlyMap<string, CpuReading> = this.previous;
    let pausedMs = 0;
    if ((options.sampleAfterMs ?? 0) > 0 && runs.length > 0) {
      // Both readings are taken fresh, each right after its uptime: the scan before the first
      // may take a while on a loaded machine, and stretching the interval by it understates CPU.
      previous = firstReadings(this.reader, runs, readUptime(this.reader) ?? now);
      const pause = performance.now();
      await this.sleep(options.sampleAfterMs!);
      pausedMs = performance.now() - pause;
      this.diagMemory.nextScan(); // the probes of before the pause are stale now
      // A proc root whose uptime did not move (a fixture tree) gets the pause as the interval.
      const later = readUptime(this.reader);
      const first = previous.values().next().value?.atSeconds ?? now;
      now = later !== null && later > first ? later : first + pausedMs / 1000;
      runs = await resample(this.reader, runs, slicer, this.userHz);
    }

    const ctx = this.context(now, previous, options.workspaces ?? []);
    const samples: ProcessSample[] = [];
    const diagnoses = new Map<string, Diagnosis>();
    for (const run of runs) {
      if (slicer.due()) await slicer.pause();
      const diagnosis = diagnoseRun(
        ctx,
        run.subject,
        run.cwd,
        run.descendants,
        run.complete,
        this.diagnoses.get(run.subject.key),
      );
      diagnoses.set(run.subject.key, diagnosis);
      samples.push(this.withDiagnosis(run, diagnosis, now));
      if (run.leftBy === null) rememberWorkers(lineage, run, diagnosis, now);
    }
    this.previous = ctx.readings;
    this.diagnoses = diagnoses;
    // The pause between the two CPU readings is waiting, not scanning: not in durationMs.
    const diagnosisMs = performance.now() - started - pausedMs;
    const stats = { ...result.stats, durationMs: result.stats.durationMs + diagnosisMs };
    return { ...result, uptimeSeconds: now, samples, stats };
  }

  private async leftBehind(
    runs: readonly Run[],
    lineage: Lineage,
    reapers: readonly string[],
    now: number,
    slicer: Slicer,
    search: Pick<FindOptions, 'orphans' | 'budget'>,
  ): Promise<Run[]> {
    const inRuns = new Set<string>();
    for (const run of runs) {
      inRuns.add(run.subject.key);
      for (const d of run.descendants) inRuns.add(d.key);
    }
    const liveRuns = new Set(runs.map((r) => r.subject.key));
    const found = await this.finder.find(
      this.reader,
      { lineage, inRuns, liveRuns, reapers, nowSeconds: now, ...search },
      slicer,
    );
    const parents = new Map<number, string | null>();
    return found.map((f): Run => {
      const tree = discoverDescendants(this.reader, f.subject, this.diagMemory);
      const s = f.subject;
      let parentComm = parents.get(s.ppid);
      if (parentComm === undefined) {
        const stat = s.ppid > 0 ? this.reader.stat(s.ppid) : null;
        parentComm = stat?.ok ? stat.value.comm : null;
        parents.set(s.ppid, parentComm);
      }
      const pattern = f.leftBy.evidence === 'lineage' ? (lineage.get(s)?.pattern ?? 'pytest') : 'pytest';
      const sample = leftBehindSample(f, { parentComm, pattern, now, userHz: this.userHz, reapers });
      return { sample, subject: s, cwd: f.cwd, ...tree, leftBy: f.leftBy };
    });
  }

  private context(
    now: number,
    previous: ReadonlyMap<string, CpuReading>,
    workspaces: readonly string[],
  ): DiagnoseContext {
    const places = new Map<string, GitPlace | null>();
    return {
      reader: this.reader,
      memory: this.diagMemory,
      net: new NetTables(this.reader),
      userHz: this.userHz,
      nowSeconds: now,
      previous,
      readings: new Map(),
      workspaces,
      basetemps: this.memory().basetemps,
      git: (cwd, pid) => {
        let place = places.get(cwd);
        if (place === undefined) {
          place = this.gitPlaces.lookup(cwd, `${this.reader.rootSlash}${pid}/root`, now);
          places.set(cwd, place);
        }
        return place;
      },
    };
  }

  private withDiagnosis(run: Run, diagnosis: Diagnosis, now: number): ProcessSample {
    const ageSeconds = Math.max(0, now - run.sample.starttime / this.userHz);
    return { ...run.sample, cwd: run.cwd, ageSeconds, diagnosis };
  }
}
