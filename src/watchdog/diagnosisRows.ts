// What a row shows of the scan's diagnosis (issues 11 and 13), pure: the facts of a process
// (CPU now, tests, what it holds, branch, verdict), the worker rows under a run, and the group a
// process left behind by tests goes under when its run is not shown. Strings stay raw here (paths,
// node ids): every sink sanitizes them its own way (markdownCode in a tooltip, forMessage in a
// toast), as for argv.
import type { Diagnosis, Holds, LeftBy, Verdict, WorkerDiagnosis, WorkerRole } from '../proc/diagnosisTypes';
import type { ProcessSample } from '../proc/types';
import { identityKey } from '../proc/types';

/** What a tooltip lists at most of what a process holds (the report says how many more). */
export const MAX_HOLDS = 12;

/** The diagnosis slots of a row. */
export interface RowFacts {
  /** CPU over the last interval, percent of one core; null without a second sample. */
  readonly cpuNowPercent: number | null;
  /** pytest node ids it runs now. */
  readonly tests: readonly string[];
  /** What it holds that breaks the next run, display-ready (":8000", "/dev/nvidia0", a file). */
  readonly holds: readonly string[];
  /** How many of `holds`, the first ones, are listening sockets. */
  readonly portCount: number;
  /** Why `holds` may miss things ("needs root"), else null. */
  readonly holdsUnknown: string | null;
  /** Git branch of its working directory (or `detached@abc1234`), when known. */
  readonly branch: string | null;
  readonly verdict: Verdict | null;
  /** Idle: seconds its CPU time has not moved as far as watched; null when not known. */
  readonly idleSeconds: number | null;
  /** Set for a process no pattern matched: tests started it and left it behind (issue 13). */
  readonly leftBy: LeftBy | null;
}

export const NO_FACTS: RowFacts = {
  cpuNowPercent: null,
  tests: [],
  holds: [],
  portCount: 0,
  holdsUnknown: null,
  branch: null,
  verdict: null,
  idleSeconds: null,
  leftBy: null,
};

const LOOPBACK_OR_ANY = new Set(['0.0.0.0', '127.0.0.1', '::', '::1', '::ffff:127.0.0.1']);

/** A file under cwd by its relative path (what the test wrote), else whole. */
function fileText(path: string, cwd: string | null): string {
  if (cwd === null) return path;
  const base = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return path.startsWith(base) && path.length > base.length ? path.slice(base.length) : path;
}

/**
 * ":8000" for a port on every address or loopback (what "address already in use" is about),
 * "10.0.0.5:8000" / "[fe80::1]:8000" for one address, "/udp" appended for UDP; then devices, then
 * files. Listening ports first: they are what breaks the next run outright.
 */
export function holdsText(holds: Holds, cwd: string | null): string[] {
  return [...portsText(holds), ...holds.devices, ...holds.files.map((f) => fileText(f, cwd))].slice(
    0,
    MAX_HOLDS,
  );
}

function portsText(holds: Holds): string[] {
  const out: string[] = [];
  for (const l of holds.listening) {
    const host = LOOPBACK_OR_ANY.has(l.address) ? '' : l.address.includes(':') ? `[${l.address}]` : l.address;
    const text = `${host}:${l.port}${l.proto === 'udp' ? '/udp' : ''}`;
    if (!out.includes(text)) out.push(text);
  }
  return out;
}

function factsOf(d: Diagnosis | WorkerDiagnosis, leftBy: LeftBy | null): RowFacts {
  return {
    cpuNowPercent: d.activity.cpuPercent,
    tests: d.tests,
    holds: holdsText(d.holds, d.run.cwd),
    portCount: Math.min(MAX_HOLDS, portsText(d.holds).length),
    holdsUnknown: d.holds.complete ? null : d.holds.unknown,
    branch: d.run.branch,
    verdict: d.activity.verdict,
    idleSeconds: d.activity.idleSeconds,
    leftBy,
  };
}

/** The facts of a scanned process; empty slots when the scan did not diagnose it. */
export function sampleFacts(sample: ProcessSample): RowFacts {
  const leftBy = sample.leftBy ?? null;
  return sample.diagnosis === undefined ? { ...NO_FACTS, leftBy } : factsOf(sample.diagnosis, leftBy);
}

/** A worker as the rows draw a process: its own diagnosis, the run's container and pattern. */
export interface WorkerEntry {
  readonly key: string;
  readonly role: WorkerRole;
  readonly sample: ProcessSample;
  readonly facts: RowFacts;
}

/** The workers of a diagnosed process that are not rows of their own (matched, or left behind). */
export function workerEntries(owner: ProcessSample, skip: ReadonlySet<string>): WorkerEntry[] {
  const d = owner.diagnosis;
  if (d === undefined) return [];
  const out: WorkerEntry[] = [];
  for (const w of d.workers) {
    const key = identityKey(w);
    if (skip.has(key)) continue;
    const sample: ProcessSample = {
      pid: w.pid,
      starttime: w.starttime,
      ppid: w.ppid,
      comm: w.comm,
      state: w.activity.state,
      argv: w.argv,
      ageSeconds: w.ageSeconds,
      cpuSeconds: w.activity.cpuSeconds,
      rssBytes: w.rssBytes,
      uid: owner.uid,
      nspid: null,
      containerId: owner.containerId,
      cwd: w.run.cwd,
      parent: null,
      orphaned: false,
      pattern: owner.pattern,
      sid: w.run.sid,
      pgid: w.run.pgid,
      threads: 0,
    };
    out.push({ key, role: w.role, sample, facts: factsOf(w, null) });
  }
  return out;
}

/** "Left behind by tests" rows are grouped by the run they came from, else by their basetemp. */
export function leftBehindGroupKey(leftBy: LeftBy): string {
  return `left:${leftBy.run ?? leftBy.basetemp ?? ''}`;
}

/** `/tmp/pytest-of-dev/pytest-12` -> `pytest-12`: the part that tells two runs apart. */
export function basetempName(basetemp: string | null): string | null {
  if (basetemp === null) return null;
  const trimmed = basetemp.endsWith('/') ? basetemp.slice(0, -1) : basetemp;
  const name = trimmed.slice(trimmed.lastIndexOf('/') + 1);
  return name === '' ? trimmed : name;
}

/** CPU over the last interval from which a row says "98% CPU" (below: not worth the room). */
const BUSY_CPU_PERCENT = 20;

/** Idle this long (CPU time still, as far as watched) says "it hangs": shorter is a pause. */
export const IDLE_FACT_SECONDS = 60;

/**
 * The one fact that decides what to do about a process, worst first: a port it holds (the next
 * run fails with "address already in use"), a core it burns, a state a signal may not get
 * through; failing those, how long it has slept ("idle 40m": a hung test, or a leftover nobody
 * uses). Null when nothing is worth the room (a short sleep, some CPU), or when not diagnosed.
 */
export type WorstFact =
  | { readonly kind: 'port'; readonly text: string }
  | { readonly kind: 'cpu'; readonly percent: number; readonly spinning: boolean }
  | { readonly kind: 'state'; readonly verdict: 'uninterruptible' | 'stopped' | 'zombie' }
  | { readonly kind: 'idle'; readonly seconds: number };

export function worstFact(facts: RowFacts): WorstFact | null {
  const port = facts.portCount > 0 ? facts.holds[0] : undefined;
  if (port !== undefined) return { kind: 'port', text: port };
  const cpu = facts.cpuNowPercent;
  const v = facts.verdict;
  if (cpu !== null && (v === 'spinning' || (v === 'busy' && cpu >= BUSY_CPU_PERCENT)))
    return { kind: 'cpu', percent: Math.round(cpu), spinning: v === 'spinning' };
  if (v === 'uninterruptible' || v === 'stopped' || v === 'zombie') return { kind: 'state', verdict: v };
  const idle = facts.idleSeconds;
  if (v === 'idle' && idle !== null && idle >= IDLE_FACT_SECONDS) return { kind: 'idle', seconds: idle };
  return null;
}

/**
 * The worst fact of a run: its own, or the worst of its workers' (a worker holds the port). A run
 * is idle only when all of it is, for as long as its most recently active process.
 */
export function worstOfRun(rows: readonly RowFacts[]): WorstFact | null {
  const rank = (f: WorstFact): number =>
    f.kind === 'port' ? 3 : f.kind === 'cpu' ? (f.spinning ? 2 : 1) : f.kind === 'state' ? 0.5 : 0;
  let worst: WorstFact | null = null;
  let allIdle = rows.length > 0;
  let idleSeconds = Infinity;
  for (const row of rows) {
    const fact = worstFact(row);
    if (fact?.kind === 'idle') idleSeconds = Math.min(idleSeconds, fact.seconds);
    else allIdle = false;
    if (fact !== null && fact.kind !== 'idle' && (worst === null || rank(fact) > rank(worst))) worst = fact;
  }
  return worst ?? (allIdle ? { kind: 'idle', seconds: idleSeconds } : null);
}
