// The view model's diagnosis (issues 11 and 13): facts on each row, workers as child rows with
// their role and test, processes left behind by tests under their run or a group of their own.
import { describe, expect, it } from 'vitest';
import type { LeftBy } from '../../../src/proc/diagnosisTypes';
import type { ProcessSample } from '../../../src/proc/types';
import { identityKey } from '../../../src/proc/types';
import { withTerminating } from '../../../src/watchdog/viewModel';
import type { GroupRow, ProcessRow, ViewModel } from '../../../src/watchdog/viewModel';
import { makeDiagnosis, makeWorker } from '../../helpers/diagnosis';
import { makeSample, modelOf } from '../../helpers/samples';

function model(samples: ProcessSample[]): ViewModel {
  return modelOf(samples);
}

const xdistRoot = (over: Partial<ProcessSample> = {}): ProcessSample =>
  makeSample({
    pid: 100,
    starttime: 1000,
    argv: ['/usr/bin/python3', '-m', 'pytest', '-n', '2', '-q', 'tests'],
    cwd: '/repo',
    diagnosis: makeDiagnosis({ cpuPercent: 1.5, verdict: 'busy', tests: [] }, [
      makeWorker(101, 100, {
        tests: ['tests/test_x.py::test_spins'],
        cpuPercent: 99,
        verdict: 'spinning',
      }),
      makeWorker(102, 100, {
        tests: ['tests/test_x.py::test_holds_port'],
        listening: [{ proto: 'tcp', address: '127.0.0.1', port: 8765 }],
      }),
      makeWorker(103, 102, { role: 'server', argv: ['python3', '-m', 'http.server'], tests: [] }),
    ]),
    ...over,
  });

const leftBy = (over: Partial<LeftBy> = {}): LeftBy => ({
  kind: 'pytest',
  evidence: 'cwd',
  basetemp: '/tmp/pytest-of-dev/pytest-12',
  run: null,
  testDir: 'test_spawns_a_server0',
  ...over,
});

const isGroup = (n: ProcessRow | GroupRow): n is GroupRow => n.kind === 'group';

describe('diagnosis in the view model', () => {
  it("fills a row's slots from its diagnosis: CPU now, tests, holds, branch, verdict", () => {
    const s = makeSample({
      diagnosis: makeDiagnosis({
        cpuPercent: 97.5,
        verdict: 'spinning',
        tests: ['tests/test_a.py::test_loop'],
        listening: [{ proto: 'tcp', address: '0.0.0.0', port: 8000 }],
        files: ['/repo/db.sqlite'],
        holds: { complete: false, unknown: 'needs root' },
      }),
    });
    const [row] = model([s]).roots;
    expect(row).toMatchObject({
      kind: 'process',
      cpuNowPercent: 97.5,
      tests: ['tests/test_a.py::test_loop'],
      holds: [':8000', 'db.sqlite'],
      portCount: 1,
      holdsUnknown: 'needs root',
      branch: 'feature/merge-gate',
      verdict: 'spinning',
      leftBy: null,
    });
  });

  it('keeps the slots empty without a diagnosis (diagnosis off)', () => {
    const [row] = model([makeSample()]).roots;
    expect(row).toMatchObject({ cpuNowPercent: null, tests: [], holds: [], branch: null, verdict: null });
  });

  it('shows workers as child rows named by their test, with role; a worker nests under its parent worker', () => {
    const m = model([xdistRoot()]);
    expect(m.all).toHaveLength(1); // workers are rows of the tree, not processes of their own
    const root = m.roots[0]!;
    const workers = root.children;
    expect(workers.map((w) => [w.pid, w.kind, w.role, w.label])).toEqual([
      [101, 'worker', 'xdist-worker', 'test_x.py::test_spins'],
      [102, 'worker', 'xdist-worker', 'test_holds_port'],
    ]);
    expect(workers[0]).toMatchObject({ cpuNowPercent: 99, verdict: 'spinning', blocking: false });
    expect(workers[1]!.holds).toEqual([':8765']);
    const server = workers[1]!.children[0]!;
    expect(server).toMatchObject({
      pid: 103,
      role: 'server',
      key: identityKey({ pid: 103, starttime: 309 }),
    });
    expect(server.label).toContain('http.server');
    expect(m.tree).toEqual(m.roots);
  });

  it('does not repeat a worker that is a matched row of its own', () => {
    const root = xdistRoot();
    const matchedWorker = makeSample({ pid: 101, starttime: 303, ppid: 100, orphaned: false });
    const m = model([root, matchedWorker]);
    const pids = m.roots[0]!.children.map((c) => [c.pid, c.kind]);
    expect(pids).toContainEqual([101, 'process']);
    expect(pids.filter(([pid]) => pid === 101)).toHaveLength(1);
  });

  it('nests a process left behind by tests under its run while the run is shown', () => {
    const root = xdistRoot();
    const child = makeSample({
      pid: 300,
      starttime: 5,
      argv: ['python', '-c', 'while True: pass'],
      pattern: 'pytest',
      leftBy: leftBy({ evidence: 'lineage', run: identityKey(root) }),
    });
    const m = model([root, child]);
    expect(m.roots.map((r) => r.pid)).toEqual([100]);
    expect(m.roots[0]!.children.map((c) => c.pid)).toContain(300);
    expect(m.tree.some(isGroup)).toBe(false);
  });

  it('groups left-behind processes whose run is gone under "Left behind by tests", by run', () => {
    const gone = '999:1';
    const spinner = makeSample({
      pid: 300,
      starttime: 5,
      argv: ['python', 'divergent.py'],
      ageSeconds: 9000,
      leftBy: leftBy({ run: gone }),
      diagnosis: makeDiagnosis({ cpuPercent: 98, verdict: 'spinning' }),
    });
    const sleeper = makeSample({
      pid: 301,
      starttime: 6,
      argv: ['python', 'sleepy.py'],
      leftBy: leftBy({ run: gone, testDir: 'test_sleepy0', evidence: 'argv' }),
    });
    const other = makeSample({
      pid: 302,
      starttime: 7,
      argv: ['python', 'x.py'],
      leftBy: leftBy({ basetemp: '/tmp/pytest-of-dev/pytest-13', testDir: null }),
    });
    const m = model([makeSample({ pid: 50, starttime: 1 }), spinner, sleeper, other]);
    // Every process is still a root for the pick lists, the report and the count...
    expect(m.roots.map((r) => r.pid).sort((a, b) => a - b)).toEqual([50, 300, 301, 302]);
    // ...while the tree shows the left-behind ones under a group per run.
    const groups = m.tree.filter(isGroup);
    expect(groups).toHaveLength(2);
    const first = groups.find((g) => g.children.some((c) => c.pid === 300))!;
    expect(first).toMatchObject({
      basetemp: '/tmp/pytest-of-dev/pytest-12',
      basetempName: 'pytest-12',
      testDirs: ['test_spawns_a_server0', 'test_sleepy0'],
    });
    expect(first.children.map((c) => c.pid).sort((a, b) => a - b)).toEqual([300, 301]);
    expect(first.children[0]!.leftBy?.evidence).toBeDefined();
    expect(m.tree.filter((n) => !isGroup(n)).map((n) => n.pid)).toEqual([50]);
  });

  it('keeps leftover workers of a killed root visible (the scan reports them left behind, by lineage)', () => {
    const root = xdistRoot();
    const orphanWorker = makeSample({
      pid: 101,
      starttime: 303,
      argv: ['[pytest-xdist running] tests/test_x.py::test_spins'],
      leftBy: leftBy({ evidence: 'lineage', run: identityKey(root), basetemp: null, testDir: null }),
      diagnosis: makeDiagnosis({
        tests: ['tests/test_x.py::test_spins'],
        verdict: 'spinning',
        cpuPercent: 99,
      }),
    });
    const m = model([orphanWorker]);
    expect(m.all).toHaveLength(1);
    expect(m.blockingCount).toBe(1);
    const group = m.tree[0] as GroupRow;
    expect(group.kind).toBe('group');
    expect(group.children[0]).toMatchObject({ pid: 101, tests: ['tests/test_x.py::test_spins'] });
  });

  it('marks workers terminating with their run, and keeps the groups', () => {
    const root = xdistRoot();
    const left = makeSample({ pid: 300, starttime: 5, leftBy: leftBy() });
    const m = model([root, left]);
    const keys = new Set([identityKey(root), identityKey({ pid: 101, starttime: 303 })]);
    const marked = withTerminating(m, keys);
    const r = marked.roots.find((x) => x.pid === 100)!;
    expect(r.terminating).toBe(true);
    expect(r.children.find((c) => c.pid === 101)?.terminating).toBe(true);
    expect(marked.tree.filter(isGroup)).toHaveLength(1);
  });
});
