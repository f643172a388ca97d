// How the rows nest beyond matched parents (issues 11 and 13): each process's workers under it
// (from the scan's diagnosis), and processes tests left behind whose run is gone under a
// "Left behind by tests" group, one per run (or basetemp). Pure, like the rest of the view model.
import { basetempName, leftBehindGroupKey, workerEntries } from './diagnosisRows';
import type { WorkerEntry } from './diagnosisRows';
import { displayCommand } from './format';
import { compactPath, LABEL_MAX_CHARS, rowLabel } from './rowLabel';

/**
 * A worker's label may be longer than its run's: its description is short (`idle`, `98% CPU`),
 * while a run's says age and `orphaned`; one indent level costs about a character.
 */
const WORKER_LABEL_CHARS = LABEL_MAX_CHARS + 3;
import { sanitize } from './sanitize';
import type { ProcessRow, TreeNode } from './viewModel';

export interface MutableRow extends Omit<ProcessRow, 'children'> {
  children: MutableRow[];
}

type Sortable = Pick<ProcessRow, 'severity' | 'ageSeconds' | 'key'> & { readonly pid?: number };
/** Most severe first, then oldest, then by pid (a group, pid-less, by key). */
export const bySeverityThenAge = (a: Sortable, b: Sortable): number =>
  b.severity - a.severity ||
  b.ageSeconds - a.ageSeconds ||
  (a.pid ?? 0) - (b.pid ?? 0) ||
  (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/**
 * A worker's label: its test, by file and name when that fits, else by name alone (the
 * `test_x.py::` part is in the tooltip), elided in the middle; its command when no test is known.
 */
function workerLabel(entry: WorkerEntry): string {
  const test = entry.facts.tests[0];
  if (test === undefined) return rowLabel(entry.sample);
  const compact = compactPath(test);
  const at = compact.lastIndexOf('::');
  const text = compact.length > WORKER_LABEL_CHARS && at >= 0 ? compact.slice(at + 2) : compact;
  return sanitize(text, { maxChars: WORKER_LABEL_CHARS, elide: 'middle' });
}

/** A worker row: named by the test it runs (what the user looks for), else by its command. */
function workerRow(entry: WorkerEntry, owner: MutableRow): MutableRow {
  const s = entry.sample;
  const label = workerLabel(entry);
  return {
    key: entry.key,
    pid: s.pid,
    starttime: s.starttime,
    label,
    commandLine: s.argv.length > 0 ? displayCommand(s.argv) : `[${sanitize(s.comm, 64)}]`,
    ageSeconds: s.ageSeconds,
    blocking: false,
    snoozed: false,
    snoozeEnd: null,
    terminating: false,
    orphaned: false,
    launcher: null,
    sample: s,
    cpuPercent: s.ageSeconds > 0 ? (100 * s.cpuSeconds) / s.ageSeconds : null,
    ...entry.facts,
    kind: 'worker',
    role: entry.role,
    severity: owner.severity,
    children: [],
  };
}

/** Each row's workers nested under it (a worker under its parent worker), parents first. */
export function addWorkers(rows: readonly MutableRow[], skip: ReadonlySet<string>): void {
  for (const owner of rows) {
    const byPid = new Map<number, MutableRow>([[owner.pid, owner]]);
    for (const entry of workerEntries(owner.sample, skip)) {
      const row = workerRow(entry, owner);
      (byPid.get(entry.sample.ppid) ?? owner).children.push(row);
      byPid.set(row.pid, row);
    }
  }
}

/** Left-behind roots whose run is not shown, under one GroupRow per run (or basetemp). */
export function groupLeftBehind(roots: readonly MutableRow[]): TreeNode[] {
  const tree: TreeNode[] = [];
  const groups = new Map<string, { key: string; rows: MutableRow[] }>();
  for (const row of roots) {
    if (row.leftBy === null) {
      tree.push(row);
      continue;
    }
    const key = leftBehindGroupKey(row.leftBy);
    const group = groups.get(key) ?? { key, rows: [] };
    group.rows.push(row);
    groups.set(key, group);
  }
  for (const { key, rows } of groups.values()) {
    const basetemp = rows.find((r) => r.leftBy?.basetemp != null)?.leftBy?.basetemp ?? null;
    const testDirs = [...new Set(rows.flatMap((r) => (r.leftBy?.testDir == null ? [] : [r.leftBy.testDir])))];
    tree.push({
      kind: 'group',
      key,
      basetemp,
      basetempName: basetempName(basetemp),
      testDirs,
      severity: Math.max(...rows.map((r) => r.severity)),
      ageSeconds: Math.max(...rows.map((r) => r.ageSeconds)),
      children: rows,
    });
  }
  return tree.sort(bySeverityThenAge);
}
