// Processes tests started and left behind (issue 13): not pytest, so no pattern matches them,
// but tied to a test run by evidence, strongest first: lineage (seen as a descendant of a matched
// run), cwd / an argument / an open file inside a pytest basetemp. Reported only when orphaned
// or when their run is gone; no evidence, no report.
//
// Cost: orphans are the children of init (task/*/children of pid 1) and of the reapers among
// them (a `systemd --user` subreaper), so no stat of every process is needed. A candidate is
// decided once per identity and remembered (pid -> starttime) for RECHECK_SECONDS: the cwd link,
// argv and (only when those did not decide) the fd scan are read once, not every scan.
import { basetempInArgv, basetempOf } from './basetemp';
import type { BasetempMatch } from './basetemp';
import type { DiagReader } from './diagRead';
import type { LeftBy } from './diagnosisTypes';
import { scanFds } from './holdsReader';
import type { Lineage, LineageEntry } from './lineage';
import type { Slicer } from './slicer';
import { classifyFdLink } from './parseFdLinks';
import { subjectFromStat } from './runTree';
import type { Subject } from './runTree';
import { identityKey } from './types';
import type { ProcessSample } from './types';
import { PAGE_SIZE_BYTES } from './constants';
import { isOrphaned } from './orphan';

/** A decision without evidence is looked at again after this long (a process may chdir). */
const RECHECK_SECONDS = 300;
/** Bound on remembered decisions (init rarely has more children than this). */
const MAX_DECIDED = 8192;

export interface LeftBehindFound {
  readonly subject: Subject;
  readonly cwd: string | null;
  readonly leftBy: LeftBy;
}

export interface FindOptions {
  readonly lineage: Lineage;
  /** Identity keys of matched roots and their descendants this scan: not candidates. */
  readonly inRuns: ReadonlySet<string>;
  /** Identity keys of matched roots alive this scan (a lineage entry's run is gone otherwise). */
  readonly liveRuns: ReadonlySet<string>;
  readonly reapers: readonly string[];
  readonly nowSeconds: number;
  /**
   * Examine init's (and its reapers') children for evidence (testChildren); false: only the
   * remembered descendants of watched runs whose run is gone (lineage).
   */
  readonly orphans: boolean;
  /**
   * Most undecided orphans examined this scan (the rest wait for the next): a first scan on a
   * machine with hundreds of orphans must not cost hundreds of cwd/argv/fd reads at once.
   */
  readonly budget?: number;
}

interface Decision {
  readonly starttime: number;
  readonly leftBy: LeftBy | null;
  readonly reaper: boolean;
  readonly at: number;
}

export class LeftBehindFinder {
  private readonly decided = new Map<number, Decision>();
  /** Undecided candidates examined by the last find (counted against FindOptions.budget). */
  lastExamined = 0;

  /** Yields to the event loop between candidates when `slicer` says so. */
  async find(reader: DiagReader, opts: FindOptions, slicer: Slicer): Promise<LeftBehindFound[]> {
    this.lastExamined = 0;
    const found = new Map<string, LeftBehindFound>();
    if (!opts.orphans) {
      this.lineageRunsGone(reader, opts, found);
      return [...found.values()];
    }
    const listed = new Set<number>();
    // Orphans are handed to init's (or a subreaper's) main thread (kernel find_new_reaper:
    // pid_ns->child_reaper; find_alive_thread of a subreaper, its first live thread), so its
    // task/<pid>/children alone lists them: one kept pread, whatever init's thread count.
    const queue = reader.children(1, 1) ?? [];
    for (let i = 0; i < queue.length; i++) {
      if (slicer.due()) await slicer.pause();
      const pid = queue[i]!;
      listed.add(pid);
      const reaperChildren = this.examine(reader, pid, opts, found);
      // Children of a subreaper that is itself init's child: one level, as init's own.
      if (reaperChildren !== null)
        for (const child of reaperChildren) if (!listed.has(child)) queue.push(child);
    }
    this.forgetUnlisted(listed);
    this.lineageRunsGone(reader, opts, found);
    return [...found.values()];
  }

  /** Returns the children to examine too when `pid` is a reaper, else null. */
  private examine(
    reader: DiagReader,
    pid: number,
    opts: FindOptions,
    found: Map<string, LeftBehindFound>,
  ): number[] | null {
    const memo = this.decided.get(pid);
    if (memo !== undefined && memo.leftBy === null && opts.nowSeconds - memo.at < RECHECK_SECONDS) {
      return memo.reaper ? this.reaperChildren(reader, pid) : null;
    }
    if (memo === undefined && this.lastExamined >= (opts.budget ?? Infinity)) return null; // next scan
    const stat = reader.stat(pid);
    if (!stat.ok) return null;
    const { starttime, comm } = stat.value;
    const key = identityKey({ pid, starttime });
    if (opts.inRuns.has(key)) return null;
    if (opts.reapers.includes(comm)) {
      this.decide(pid, { starttime, leftBy: null, reaper: true, at: opts.nowSeconds });
      return this.reaperChildren(reader, pid);
    }
    const argv = reader.argv(pid);
    if (!argv.ok || argv.value.length === 0) return null; // gone, or a zombie
    // A process already tied to a run stays tied: its evidence is not looked for again.
    let leftBy = memo?.starttime === starttime ? memo.leftBy : null;
    const cwdRead = reader.cwd(pid);
    const cwd = cwdRead.ok ? cwdRead.value : null;
    if (memo === undefined) this.lastExamined++;
    if (leftBy === null) {
      leftBy = evidence(reader, { pid, starttime }, cwd, argv.value, opts.lineage);
    }
    this.decide(pid, { starttime, leftBy, reaper: false, at: opts.nowSeconds });
    if (leftBy !== null) found.set(key, { subject: subjectFromStat(stat.value, argv.value), cwd, leftBy });
    return null;
  }

  private reaperChildren(reader: DiagReader, pid: number): number[] | null {
    return reader.children(pid, 1); // its main thread's: see find()
  }

  /** Remembered descendants whose run is gone, wherever they were re-parented (a subreaper). */
  private lineageRunsGone(reader: DiagReader, opts: FindOptions, found: Map<string, LeftBehindFound>): void {
    for (const entry of opts.lineage.all()) {
      const key = identityKey(entry);
      if (found.has(key) || opts.inRuns.has(key) || opts.liveRuns.has(entry.run)) continue;
      const stat = reader.stat(entry.pid);
      if (!stat.ok || stat.value.starttime !== entry.starttime || stat.value.state === 'Z') {
        opts.lineage.forget(entry);
        continue;
      }
      const argv = reader.argv(entry.pid);
      const cwd = reader.cwd(entry.pid);
      found.set(key, {
        subject: subjectFromStat(stat.value, argv.ok ? argv.value : []),
        cwd: cwd.ok ? cwd.value : null,
        leftBy: fromLineage(entry),
      });
    }
  }

  private decide(pid: number, decision: Decision): void {
    this.decided.delete(pid);
    this.decided.set(pid, decision);
    if (this.decided.size > MAX_DECIDED) {
      const oldest = this.decided.keys().next().value;
      if (oldest !== undefined) this.decided.delete(oldest);
    }
  }

  /** A pid no longer among init's (or its reapers') children has exited or been adopted. */
  private forgetUnlisted(listed: ReadonlySet<number>): void {
    for (const pid of this.decided.keys()) if (!listed.has(pid)) this.decided.delete(pid);
  }
}

/** The strongest evidence tying a process to a test run, or null. fds only when nothing else decided. */
function evidence(
  reader: DiagReader,
  id: { pid: number; starttime: number },
  cwd: string | null,
  argv: readonly string[],
  lineage: Lineage,
): LeftBy | null {
  const entry = lineage.get(id);
  if (entry !== undefined) return fromLineage(entry);
  const basetemps = lineage.basetemps;
  const inCwd = cwd === null ? null : basetempOf(cwd, basetemps);
  if (inCwd !== null) return fromBasetemp('cwd', inCwd);
  const inArgv = basetempInArgv(argv, basetemps);
  if (inArgv !== null) return fromBasetemp('argv', inArgv);
  const fds = scanFds(reader, id.pid);
  for (const target of fds.links) {
    const link = classifyFdLink(target);
    const inFd = link.kind === 'file' ? basetempOf(link.path, basetemps) : null;
    if (inFd !== null) return fromBasetemp('fd', inFd);
  }
  return null;
}

function fromLineage(entry: LineageEntry): LeftBy {
  return {
    kind: 'pytest',
    evidence: 'lineage',
    basetemp: entry.basetemp,
    run: entry.run,
    testDir: entry.testDir,
  };
}

function fromBasetemp(evidenceKind: 'cwd' | 'argv' | 'fd', m: BasetempMatch): LeftBy {
  return { kind: 'pytest', evidence: evidenceKind, basetemp: m.basetemp, run: null, testDir: m.testDir };
}

export interface LeftBehindSampleInput {
  readonly parentComm: string | null;
  /** The pattern of the run it came from, or `pytest`. */
  readonly pattern: string;
  readonly now: number;
  readonly userHz: number;
  readonly reapers: readonly string[];
}

/** A found process as the pipeline's ProcessSample: alerts, rows and kill treat it as a match. */
export function leftBehindSample(f: LeftBehindFound, input: LeftBehindSampleInput): ProcessSample {
  const s = f.subject;
  return {
    pid: s.pid,
    starttime: s.starttime,
    ppid: s.ppid,
    comm: s.comm,
    state: s.state,
    argv: s.argv,
    ageSeconds: Math.max(0, input.now - s.starttime / input.userHz),
    cpuSeconds: s.cpuTicks / input.userHz,
    rssBytes: s.rssPages === null ? null : s.rssPages * PAGE_SIZE_BYTES,
    uid: null,
    nspid: null,
    containerId: null,
    cwd: f.cwd,
    parent: input.parentComm === null ? null : { pid: s.ppid, comm: input.parentComm },
    orphaned: isOrphaned(s.ppid, input.parentComm, input.reapers),
    pattern: input.pattern,
    sid: s.sid,
    pgid: s.pgid,
    threads: s.threads,
    diagnosis: undefined, // a slot for later, as sampleBuilder.ts declares it
    leftBy: f.leftBy,
  };
}
