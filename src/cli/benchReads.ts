// The bench's read count (issue 11 item 9, issue 13 item 5): a scanner of its own, the same as
// the timed one but reading through a counting ProcFs, scans until the orphans are all decided;
// what its first and last scans read, by kind, and whether any read broke a rule
// (src/proc/readRules.ts). Separate from the timed scans, which the counting would slow.
import { readFileSync } from 'node:fs';
import { DiagnosingScanner } from '../proc/diagnosingScanner';
import type { DiagnosisOptions } from '../proc/diagnosingScanner';
import { parseChildren } from '../proc/parseChildren';
import { nodeProcFs } from '../proc/procFs';
import { countByKind, countingProcFs } from '../proc/readCounter';
import type { ReadKind } from '../proc/readCounter';
import { checkReadRules } from '../proc/readRules';
import type { ScanRoles } from '../proc/readRules';
import type { ArgvMatcher, ScanResult } from '../proc/types';

export interface ReadsReport {
  /** Scans made (the first is the cold one, the last the steady one reported). */
  scans: number;
  /** Children of init when the count ended (the orphans the left-behind search looks at). */
  orphans: number;
  /** Processes diagnosed (matches and processes left behind) and their descendants, last scan. */
  diagnosed: number;
  descendants: number;
  cold: Partial<Record<ReadKind, number>>;
  steady: Partial<Record<ReadKind, number>>;
  /** Most net table files read in one scan (4 per network namespace is once). */
  maxNetTables: number;
  /** Reads that broke a rule, over all the scans: `kind of role` -> count. Empty is the goal. */
  violations: Record<string, number>;
  /** fd folders listed and cwd links read, by role, over all the scans. */
  fdScans: Record<string, number>;
  cwdReads: Record<string, number>;
}

/** init's direct children (where orphans land), read directly: not counted. */
function initChildren(procRoot: string): Set<number> {
  try {
    const text = readFileSync(`${procRoot}/1/task/1/children`, 'utf8');
    return new Set(parseChildren(text));
  } catch {
    return new Set();
  }
}

function rolesOf(result: ScanResult, orphans: ReadonlySet<number>, lineage: ReadonlySet<number>): ScanRoles {
  const diagnosed = new Set<number>();
  const descendants = new Set<number>();
  const parents = new Set<number>();
  for (const s of result.samples) {
    diagnosed.add(s.pid);
    parents.add(s.ppid);
    for (const w of s.diagnosis?.workers ?? []) descendants.add(w.pid);
  }
  return { diagnosed, descendants, parents, orphans, lineage };
}

const add = (into: Record<string, number>, from: Readonly<Record<string, number | undefined>>): void => {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + (v ?? 0);
};

export async function benchReads(options: {
  procRoot?: string;
  matcher: ArgvMatcher;
  reapers: readonly string[];
  diagnosis: DiagnosisOptions;
  scans: number;
}): Promise<ReadsReport> {
  const root = options.procRoot ?? '/proc';
  const fs = countingProcFs(nodeProcFs, root);
  const scanner = new DiagnosingScanner({ procRoot: root, fs });
  const report: ReadsReport = {
    scans: 0,
    orphans: 0,
    diagnosed: 0,
    descendants: 0,
    cold: {},
    steady: {},
    maxNetTables: 0,
    violations: {},
    fdScans: {},
    cwdReads: {},
  };
  try {
    for (let i = 0; i < options.scans; i++) {
      const before = initChildren(root);
      const lineage = new Set(scanner.lineageState().entries.map((e) => e.pid));
      const result = await scanner.scan(options.matcher, options.reapers, options.diagnosis);
      const events = fs.take();
      const orphans = new Set([...before, ...initChildren(root)]);
      const roles = rolesOf(result, orphans, lineage);
      const check = checkReadRules(events, roles);
      add(report.violations, check.violations);
      add(report.fdScans, check.fdScans);
      add(report.cwdReads, check.cwdReads);
      report.maxNetTables = Math.max(report.maxNetTables, check.netTables);
      if (i === 0) report.cold = countByKind(events);
      report.steady = countByKind(events);
      report.scans = i + 1;
      report.orphans = orphans.size;
      report.diagnosed = roles.diagnosed.size;
      report.descendants = roles.descendants.size;
    }
  } finally {
    scanner.dispose();
  }
  return report;
}
