// The editor's words for a diagnosed row (issue 11/13): the description leads with the worst
// fact of the run, a worker says its role and activity, the tooltip is a compact table with
// tests, CPU now/average/total, RSS, holds, cwd, branch, session; Copy Report carries all of
// it with secrets in command lines redacted.
import { describe, expect, it, vi } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import { confirmDetail, runButton } from '../../../src/vscode/killText';
import { markdownReport } from '../../../src/vscode/report';
import { describeGroup, describeRow, rowTooltip } from '../../../src/vscode/rowText';
import type { GroupRow, ViewModel } from '../../../src/watchdog/viewModel';
import { makeDiagnosis, makeWorker } from '../../helpers/diagnosis';
import { makeSample, modelOf } from '../../helpers/samples';

vi.mock('vscode', () => vi.importActual('../../helpers/vscodeStub'));

function model(samples: ProcessSample[]): ViewModel {
  return modelOf(samples, { atMs: Date.UTC(2026, 11, 2) });
}

const xdist = (over: Partial<ProcessSample> = {}): ProcessSample =>
  makeSample({
    pid: 100,
    ageSeconds: 44,
    cpuSeconds: 2,
    rssBytes: 50 << 20,
    cwd: '/repo',
    sid: 90,
    pgid: 100,
    argv: ['python3', '-m', 'pytest', '-n', '2', 'tests', '--db-password', 'hunter2', 'https://u:pw@x.y/'],
    diagnosis: makeDiagnosis({ verdict: 'idle', cpuPercent: 0.5, cpuSeconds: 2 }, [
      makeWorker(101, 100, { tests: ['tests/test_x.py::test_spins'], verdict: 'spinning', cpuPercent: 98.4 }),
      makeWorker(102, 100, {
        tests: ['tests/test_x.py::test_holds_port'],
        listening: [{ proto: 'tcp', address: '127.0.0.1', port: 8765 }],
      }),
    ]),
    ...over,
  });

describe('row description', () => {
  it('leads with the age, then the worst fact of the run (a worker holds the port), then orphaned', () => {
    const [root] = model([xdist()]).roots;
    expect(describeRow(root!)).toBe('44s · holds :8765 · orphaned');
  });

  it('says "98% CPU" for a spinning process, nothing extra for an idle one', () => {
    const spinning = makeSample({
      ageSeconds: 120,
      diagnosis: makeDiagnosis({ verdict: 'spinning', cpuPercent: 98 }),
    });
    expect(describeRow(model([spinning]).roots[0]!)).toBe('2m · 98% CPU · orphaned');
    const idle = makeSample({ ageSeconds: 120, diagnosis: makeDiagnosis({ verdict: 'idle' }) });
    expect(describeRow(model([idle]).roots[0]!)).toBe('2m · orphaned');
  });

  it('says "idle 40m" when the whole run has slept a minute or more, and for a worker', () => {
    const sleeper = (rootIdle: number | null, workerIdle: number | null) =>
      makeSample({
        ageSeconds: 7200,
        diagnosis: makeDiagnosis({ verdict: 'idle', idleSeconds: rootIdle }, [
          makeWorker(101, 100, { verdict: 'idle', idleSeconds: workerIdle }),
        ]),
      });
    const [root] = model([sleeper(3000, 2400)]).roots;
    expect(describeRow(root!)).toBe('2h · idle 40m · orphaned');
    expect(describeRow(root!.children[0]!)).toBe('idle 40m');
    expect(describeRow(model([sleeper(3000, 30)]).roots[0]!)).toBe('2h · orphaned'); // a worker just ran
    expect(describeRow(model([sleeper(3000, null)]).roots[0]!)).toBe('2h · orphaned'); // not known yet
    const portRun = xdist({
      diagnosis: makeDiagnosis({ verdict: 'idle', idleSeconds: 3000 }, [
        makeWorker(102, 100, {
          idleSeconds: 3000,
          listening: [{ proto: 'tcp', address: '127.0.0.1', port: 8765 }],
        }),
      ]),
    });
    expect(describeRow(model([portRun]).roots[0]!)).toBe('44s · holds :8765 · orphaned');
  });

  it('gives a worker its activity (and a role other than xdist worker); its label is its test', () => {
    const [w1, w2] = model([xdist()]).roots[0]!.children;
    expect([w1!.label, describeRow(w1!)]).toEqual(['test_x.py::test_spins', '98% CPU']);
    expect(describeRow(w2!)).toBe('holds :8765');
    // Another role is said: a fixture server is not an xdist worker.
    const server = model([
      xdist({ diagnosis: makeDiagnosis({}, [makeWorker(101, 100, { role: 'server' })]) }),
    ]).roots[0]!.children[0]!;
    expect(describeRow(server)).toBe('idle · server');
  });

  it('names a left-behind group by its basetemp and test folder', () => {
    const left = makeSample({
      pid: 300,
      leftBy: {
        kind: 'pytest',
        evidence: 'cwd',
        basetemp: '/tmp/pytest-of-dev/pytest-12',
        run: null,
        testDir: 'test_spawns_a_server0',
      },
    });
    const group = model([left]).tree[0] as GroupRow;
    expect(describeGroup(group)).toBe('pytest-12 · test_spawns_a_server0');
  });
});

describe('row tooltip', () => {
  it('is a compact table: tests, CPU now/average/total, memory, holds, folder, branch, session', () => {
    const [root] = model([xdist()]).roots;
    const w = root!.children[1]!;
    const text = rowTooltip(w, false).value;
    expect(text).toContain('| Role | xdist worker |');
    expect(text).toContain('| Tests | `tests/test_x.py::test_holds_port` |');
    expect(text).toContain('| Holds | `:8765` |');
    expect(text).toContain('| Branch | `feature/merge-gate` |');
    const rootText = rowTooltip(root!, false).value;
    expect(rootText).toMatch(/\| CPU \| 1% now, 4\.5% on average, 2\.0 s in total \|/);
    expect(rootText).toContain('| Memory | 50');
    expect(rootText).toContain('| Folder | `/repo` |');
    expect(rootText).toContain('| Session | 90, process group 100 |');
    expect(rootText).toContain('| Activity | idle |');
  });

  it('says how long it has been idle on the Activity line', () => {
    const idle = (idleSeconds: number | null) =>
      rowTooltip(
        model([makeSample({ diagnosis: makeDiagnosis({ verdict: 'idle', idleSeconds }) })]).roots[0]!,
        false,
      ).value;
    expect(idle(2400)).toContain('| Activity | idle for 40m |');
    expect(idle(12)).toContain('| Activity | idle for 12s |');
    expect(idle(0)).toContain('| Activity | idle |'); // it did just run
    expect(idle(null)).toContain('| Activity | idle |');
  });

  it('keeps hostile test ids and holds inside code spans', () => {
    const s = makeSample({
      diagnosis: makeDiagnosis({ tests: ['t.py::[x](command:evil)'], files: ['/repo/a|b`c'] }),
    });
    const text = rowTooltip(model([s]).roots[0]!, false).value;
    expect(text).toContain('| Tests | `t.py::[x](command:evil)` |');
    expect(text).toContain('\\|'); // the pipe cannot end the table cell
  });
});

describe('Copy Report', () => {
  it('carries workers, tests, holds, CPU now/avg/total, session; argv secrets redacted', () => {
    const text = markdownReport(model([xdist()]), 'devbox');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('u:pw@');
    expect(text).toContain('--db-password ***');
    expect(text).toContain('xdist worker');
    expect(text).toContain('`tests/test_x.py::test_holds_port`');
    expect(text).toContain('`:8765`');
    expect(text).toContain('90 / 100');
    expect(text).toMatch(/98\.4 \/ [\d.]+ \/ 1\.0 s/);
    // Root, then its two workers indented under it.
    expect(text.split('\n').filter((l) => l.startsWith('| 10'))).toHaveLength(3);
  });

  it('says why a left-behind process is there', () => {
    const left = makeSample({
      pid: 300,
      argv: ['python', 'sleepy.py', '--token=abc'],
      leftBy: {
        kind: 'pytest',
        evidence: 'lineage',
        basetemp: '/tmp/p/pytest-3',
        run: '1:2',
        testDir: 'test_a0',
      },
    });
    const text = markdownReport(model([left]), 'devbox');
    expect(text).toContain('left behind by tests (started by a matched run)');
    expect(text).toContain('`/tmp/p/pytest-3/test_a0`');
    expect(text).not.toContain('abc');
  });
});

describe('kill modal of a run', () => {
  it('lists every process of the run with what it holds, the run kill first', () => {
    const [root] = model([xdist()]).roots;
    const targets = root!.children.map((w) => ({ pid: w.pid, starttime: w.starttime, argv: w.sample.argv }));
    const detail = confirmDetail(root!, { target: targets[0]!, descendants: targets, listError: null });
    expect(detail).toContain(`"${runButton(3)}" sends SIGTERM`);
    expect(detail).toMatch(/ {2}102: python3 -c .* — holds :8765/);
    expect(detail).toMatch(/ {2}101: python3 -c [^\n—]*\n/);
  });
});
