// The read-count rules of issues 11 and 13, checked on the reads one scan made (readCounter.ts):
// every process gets the reader's own read, its cmdline (the floor itself) or, for a kept task,
// its schedstat, with the cmdline only once it ran (the gate: scanEntry.ts); anything more only
// for the processes a rule names. Pure; the bench prints the result and unit tests assert it.
import type { ReadEvent, ReadKind } from './readCounter';

/** Who is who in one scan, from its result and the machine around it. */
export interface ScanRoles {
  /** Matched roots and processes found left behind by tests (both are diagnosed). */
  readonly diagnosed: ReadonlySet<number>;
  /** Descendants of those (diagnosed as their workers). */
  readonly descendants: ReadonlySet<number>;
  /** Parents of diagnosed processes (their stat names the parent: orphaned or not). */
  readonly parents: ReadonlySet<number>;
  /** Children of init and of reapers: the candidates of the left-behind search. */
  readonly orphans: ReadonlySet<number>;
  /** Remembered lineage (descendants of matched runs seen earlier). */
  readonly lineage: ReadonlySet<number>;
}

type Role = 'diagnosed' | 'descendant' | 'parent' | 'orphan' | 'lineage' | 'other';

/** Which roles may have each kind of file read (cmdline and the root's own files: anyone). */
const ALLOWED: Partial<Record<ReadKind, readonly Role[]>> = {
  stat: ['diagnosed', 'descendant', 'parent', 'orphan', 'lineage'],
  cwd: ['diagnosed', 'descendant', 'orphan', 'lineage'],
  fdList: ['diagnosed', 'descendant', 'orphan'],
  fdLink: ['diagnosed', 'descendant', 'orphan'],
  status: ['diagnosed'],
  cgroup: ['diagnosed'],
  schedstat: ['diagnosed', 'descendant'],
  wchan: ['diagnosed', 'descendant'],
  children: ['diagnosed', 'descendant', 'orphan'],
  taskList: ['diagnosed', 'descendant'],
  netNs: ['diagnosed', 'descendant'],
  net: ['diagnosed', 'descendant'],
  other: [],
};

function roleOf(pid: number, roles: ScanRoles): Role {
  if (roles.diagnosed.has(pid)) return 'diagnosed';
  if (roles.descendants.has(pid)) return 'descendant';
  if (roles.orphans.has(pid)) return 'orphan';
  if (roles.lineage.has(pid)) return 'lineage';
  return roles.parents.has(pid) ? 'parent' : 'other';
}

export interface RuleCheck {
  /** `kind of role`, e.g. `cwd of other`, with how many reads broke a rule that way. */
  readonly violations: Readonly<Record<string, number>>;
  /** Network table files read (4 per namespace: tcp, tcp6, udp, udp6). */
  readonly netTables: number;
  /** Processes whose fd folder was listed, by role. */
  readonly fdScans: Readonly<Partial<Record<Role, number>>>;
  /** Processes whose cwd link was read, by role. */
  readonly cwdReads: Readonly<Partial<Record<Role, number>>>;
}

export function checkReadRules(events: readonly ReadEvent[], roles: ScanRoles): RuleCheck {
  const violations: Record<string, number> = {};
  const fdScans: Partial<Record<Role, number>> = {};
  const cwdReads: Partial<Record<Role, number>> = {};
  let netTables = 0;
  const gateReads = new Set<number>();
  for (const { kind, pid } of events) {
    if (kind === 'net') netTables++;
    // The reader's gate: one schedstat of any process per scan (diagnosis may read it again).
    if (kind === 'schedstat' && pid !== null && !gateReads.has(pid)) {
      gateReads.add(pid);
      continue;
    }
    // The fd folder of pid 1 or a stat of it: init's own files when pid 1 is diagnosed; its
    // children file is how orphans are found.
    if (pid === null || kind === 'cmdline' || (pid === 1 && kind === 'children')) continue;
    const role = roleOf(pid, roles);
    if (kind === 'fdList') fdScans[role] = (fdScans[role] ?? 0) + 1;
    if (kind === 'cwd') cwdReads[role] = (cwdReads[role] ?? 0) + 1;
    const allowed = ALLOWED[kind];
    if (allowed !== undefined && !allowed.includes(role)) {
      const key = `${kind} of ${role}`;
      violations[key] = (violations[key] ?? 0) + 1;
    }
  }
  return { violations, netTables, fdScans, cwdReads };
}
