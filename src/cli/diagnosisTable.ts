// The diagnosis under a row of `scan`'s table: why a left-behind process counts, its run, what
// it holds, its tests, and one line per worker. Pure; every outside string is sanitized.
import type { Holds, ListeningSocket, WorkerDiagnosis } from '../proc/diagnosisTypes';
import type { ProcessSample } from '../proc/types';
import { identityKey } from '../proc/types';
import { shortCommand } from '../watchdog/format';
import { sanitize } from '../watchdog/sanitize';

const MAX_PATH = 120;
const MAX_TESTS = 3;

export function detailLines(s: ProcessSample): string[] {
  const out: string[] = [];
  if (s.leftBy !== undefined) {
    const where = s.leftBy.basetemp === null ? '' : `, basetemp ${sanitize(s.leftBy.basetemp, MAX_PATH)}`;
    const test = s.leftBy.testDir === null ? '' : ` (${sanitize(s.leftBy.testDir, 80)})`;
    const run = s.leftBy.run === null ? '' : `, run ${sanitize(s.leftBy.run, MAX_PATH)}`;
    out.push(`    left behind by tests: evidence ${s.leftBy.evidence}${where}${test}${run}`);
  }
  const d = s.diagnosis;
  if (d === undefined) return out;
  const r = d.run;
  const branch = r.branch === null ? '' : `, branch ${sanitize(r.branch, 80)}`;
  const worktree = r.worktree === null ? '' : ` (worktree ${sanitize(r.worktree, MAX_PATH)})`;
  const cwd = r.cwd === null ? '' : `, cwd ${sanitize(r.cwd, MAX_PATH)}`;
  out.push(`    run: session ${r.sid}, group ${r.pgid}${cwd}${branch}${worktree}`);
  if (d.tests.length > 0) out.push(`    tests: ${testsText(d.tests)}`);
  const holds = holdsText(d.holds);
  if (holds !== '') out.push(`    holds: ${holds}`);
  for (const w of d.workers) out.push(workerLine(w));
  if (!d.workersComplete) out.push('    … more descendants not listed');
  return out;
}

function workerLine(w: WorkerDiagnosis): string {
  const cpu = w.activity.cpuPercent === null ? '' : ` ${Math.round(w.activity.cpuPercent)}%`;
  const what = w.tests.length > 0 ? testsText(w.tests) : sanitize(shortCommand(w.argv, 80), 80);
  const holds = holdsText(w.holds);
  return `    └ ${identityKey(w)} ${w.role} ${w.activity.verdict}${cpu}  ${what}${holds === '' ? '' : `  holds ${holds}`}`;
}

function testsText(tests: readonly string[]): string {
  const shown = tests.slice(0, MAX_TESTS).map((t) => sanitize(t, 120));
  return tests.length > MAX_TESTS ? `${shown.join(', ')} (+${tests.length - MAX_TESTS})` : shown.join(', ');
}

function socketText(l: ListeningSocket): string {
  const address = sanitize(l.address, 64);
  const host = address.includes(':') ? `[${address}]` : address;
  return `${l.proto} ${host}:${l.port}`;
}

function holdsText(h: Holds): string {
  const parts: string[] = [];
  if (h.listening.length > 0) parts.push(h.listening.map(socketText).join(', '));
  if (h.files.length > 0) parts.push(`files ${h.files.map((f) => sanitize(f, MAX_PATH)).join(', ')}`);
  if (h.devices.length > 0) parts.push(`devices ${h.devices.map((f) => sanitize(f, 60)).join(', ')}`);
  if (h.basetemp !== null) parts.push(`basetemp ${sanitize(h.basetemp, MAX_PATH)}`);
  if (!h.complete && h.unknown !== null) parts.push(`unknown: ${sanitize(h.unknown, 60)}`);
  return parts.join('; ');
}

/** The facts that matter, in one bracket for a watch line: `[spinning 98% CPU; holds tcp 127.0.0.1:8000; …]`. */
export function factsText(s: ProcessSample): string {
  const d = s.diagnosis;
  const facts: string[] = [];
  if (s.leftBy !== undefined) facts.push(`left behind by tests (${s.leftBy.evidence})`);
  if (d !== undefined) {
    const all = [d, ...d.workers];
    const cpu = all.reduce((sum, p) => sum + (p.activity.cpuPercent ?? 0), 0);
    const worst = all.find((p) => p.activity.verdict === 'spinning') ?? d;
    facts.push(
      `${worst.activity.verdict}${all.some((p) => p.activity.cpuPercent !== null) ? ` ${Math.round(cpu)}% CPU` : ''}`,
    );
    const ports = all.flatMap((p) => p.holds.listening.map(socketText));
    if (ports.length > 0) facts.push(`holds ${[...new Set(ports)].join(', ')}`);
    const tests = all.flatMap((p) => p.tests).filter((t) => t.includes('::'));
    if (tests.length > 0) facts.push(`tests ${testsText(tests)}`);
    if (d.run.branch !== null) facts.push(`branch ${sanitize(d.run.branch, 80)}`);
  }
  return facts.length === 0 ? '' : `[${facts.join('; ')}]`;
}
