import { describe, expect, it } from 'vitest';
import type { ProcessSample, ScanResult } from '../../../src/proc/types';
import { identityKey } from '../../../src/proc/types';
import { LABEL_MAX_CHARS, rowLabel } from '../../../src/watchdog/rowLabel';
import { buildViewModel, withFailedScan, withTerminating } from '../../../src/watchdog/viewModel';
import type { RowInput } from '../../../src/watchdog/viewModel';
import type { Signal } from '../../../src/watchdog/types';

function sample(pid: number, ppid: number, overrides: Partial<ProcessSample> = {}): ProcessSample {
  return {
    pid,
    starttime: pid * 10,
    ppid,
    comm: 'pytest',
    state: 'S',
    argv: ['/venv/bin/python3', '-m', 'pytest', '-x', `tests/t${pid}`],
    ageSeconds: 1000 + pid,
    cpuSeconds: 50,
    rssBytes: 1 << 20,
    uid: 1000,
    nspid: null,
    containerId: null,
    cwd: '/repo',
    parent: { pid: ppid, comm: ppid === 1 ? 'tini' : 'pytest' },
    orphaned: ppid === 1,
    pattern: 'pytest',
    sid: pid,
    pgid: pid,
    threads: 1,
    ...overrides,
  };
}

function signal(s: ProcessSample, active: boolean): Signal {
  return {
    kind: 'proc_blocking',
    key: identityKey(s),
    pid: s.pid,
    starttime: s.starttime,
    active,
    sample: s,
  };
}

const scan = (samples: ProcessSample[], ok = true): ScanResult => ({
  ok,
  uptimeSeconds: 5000,
  samples,
  stats: { processes: 200, matched: samples.length, vanished: 0, denied: 0, malformed: 0, durationMs: 3 },
});

/** A tick's rows input; `snoozed` keys are snoozed while the process runs. */
const input = (s: ScanResult, signals: Signal[], snoozed: string[] = []): RowInput => ({
  scan: s,
  signals,
  state: { snoozes: Object.fromEntries(snoozed.map((k) => [k, { untilSeconds: null, session: false }])) },
});

describe('buildViewModel', () => {
  it('nests xdist workers under their root, most severe first, and counts blocking without snoozed', () => {
    const root = sample(100, 1);
    const w1 = sample(101, 100, { ageSeconds: 900 });
    const w2 = sample(102, 100, { ageSeconds: 950 });
    const other = sample(300, 1, { ageSeconds: 5000 });
    const signals = [signal(w1, true), signal(root, true), signal(w2, false), signal(other, true)];
    const model = buildViewModel(input(scan([root, w1, w2, other]), signals, [identityKey(other)]), 42);
    // The blocking orphan before the older snoozed one; the blocking worker before the waiting one.
    expect(model.roots.map((r) => r.pid)).toEqual([100, 300]);
    expect(model.roots[0]?.children.map((r) => r.pid)).toEqual([101, 102]);
    expect(model.blockingCount).toBe(2); // root + w1; `other` is snoozed, w2 is not active
    const snoozed = model.all.find((r) => r.pid === 300);
    expect(snoozed?.snoozed).toBe(true);
    expect(snoozed?.blocking).toBe(false);
    expect(snoozed?.snoozeEnd).toEqual({ kind: 'process' });
    expect(model.lastScan).toMatchObject({ ok: true, atMs: 42, stats: { processes: 200, matched: 4 } });
  });

  it('labels with what is being tested, keeps the full command line, computes CPU %', () => {
    const s = sample(7, 1, {
      argv: ['/venv/bin/python3', '-m', 'pytest', '-k', 'a b'],
      cpuSeconds: 250,
      ageSeconds: 1000,
    });
    const [row] = buildViewModel(input(scan([s]), [signal(s, true)]), 0).all;
    expect(row?.label.startsWith('pytest')).toBe(true);
    expect(row?.label).not.toContain('/venv');
    expect(row?.commandLine).toBe('/venv/bin/python3 -m pytest -k "a b"');
    expect(row?.cpuPercent).toBeCloseTo(25);
  });

  it('breaks a ppid loop (non-atomic scan) into roots instead of hiding both rows', () => {
    const a = sample(10, 11);
    const b = sample(11, 10);
    const model = buildViewModel(input(scan([a, b]), [signal(a, true), signal(b, true)]), 0);
    expect(model.roots.map((r) => r.pid).sort()).toEqual([10, 11]);
  });

  it('keeps the last rows on a failed scan but records the failure', () => {
    const s = sample(5, 1);
    const good = buildViewModel(input(scan([s]), [signal(s, true)]), 1);
    const failed = withFailedScan(good, { ...scan([], false), error: 'EACCES' }, 2);
    expect(failed.all.map((r) => r.pid)).toEqual([5]);
    expect(failed.lastScan).toMatchObject({ ok: false, error: 'EACCES', atMs: 2 });
  });
});

describe('rows that read at a glance', () => {
  it('caps a long label, drops options and the matched program first, elides once in the middle (no "……")', () => {
    const label = (test: string) => {
      const s = sample(40, 1, { argv: ['/usr/bin/python3', '-m', 'pytest', '-x', `tests/deep/${test}`] });
      return buildViewModel(input(scan([s]), [signal(s, true)]), 0).all[0]?.label ?? '';
    };
    expect(label('test_merge_gate.py')).toBe('test_merge_gate.py');
    const long = label('test_merge_gate_with_retries.py');
    expect(long.length).toBe(LABEL_MAX_CHARS);
    expect(long.endsWith('retries.py')).toBe(true);
    expect(long.split('…')).toHaveLength(2);
  });

  it('names test paths by their file (node ids kept), folders whole; short labels keep the program', () => {
    const label = (argv: string[]) => rowLabel({ argv, comm: 'x', pattern: 'pytest' }, 40);
    expect(label(['pytest', 'tests/unit/test_a.py::test_b'])).toBe('pytest test_a.py::test_b');
    expect(label(['/usr/bin/python3', '-m', 'pytest', '-n', '2', 'tests/'])).toBe('pytest -n 2 tests/');
  });

  it('a label that does not fit keeps what is tested and the worker count, not how it runs', () => {
    const label = (argv: string[]) => rowLabel({ argv, comm: 'x', pattern: 'pytest' });
    expect(label(['pytest', '-n', '2', '-q', '-p', 'no:cacheprovider', 'tests/'])).toBe('pytest -n 2 tests/');
    expect(label(['pytest', '--tb', 'short', '-k', 'db', 'tests/unit/test_a.py'])).toBe('-k db test_a.py');
    expect(label(['pytest', '-x', '--lf', 'tests/test_merge_gate.py'])).toBe('test_merge_gate.py');
    // Nothing but options: nothing to prefer, they are all elided once in the middle.
    expect(label(['pytest', '-p', 'no:cacheprovider', '--import-mode', 'importlib'])).toBe(
      '-p no:ca… importlib',
    );
    expect(label([])).toBe('x');
  });

  it('sorts blocking orphans before blocking, terminating, snoozed and waiting rows', () => {
    const orphan = sample(11, 1, { ageSeconds: 10 });
    const attached = sample(12, 77, { ageSeconds: 9000, parent: { pid: 77, comm: 'bash' } });
    const young = sample(13, 1, { ageSeconds: 99999 });
    const model = buildViewModel(
      input(scan([young, attached, orphan]), [
        signal(young, false),
        signal(attached, true),
        signal(orphan, true),
      ]),
      0,
    );
    expect(model.roots.map((r) => r.pid)).toEqual([11, 12, 13]);
    expect(model.all.find((r) => r.pid === 12)?.launcher).toEqual({ pid: 77, comm: 'bash' });
    expect(model.all.find((r) => r.pid === 11)?.launcher).toBeNull();
    const killing = withTerminating(model, new Set([identityKey(orphan)]));
    expect(killing.roots.map((r) => r.pid)).toEqual([12, 11, 13]);
    expect(killing.all.find((r) => r.pid === 11)).toMatchObject({ terminating: true, blocking: false });
    expect(killing.blockingCount).toBe(1);
  });

  it('says until when a snooze lasts: a time on the wall clock, until restart, while it runs', () => {
    const a = sample(5, 1);
    const b = sample(6, 1);
    const c = sample(7, 1);
    const snoozes = {
      [identityKey(a)]: { untilSeconds: 5000 + 3600, session: false },
      [identityKey(b)]: { untilSeconds: null, session: true },
      [identityKey(c)]: { untilSeconds: 4000, session: false }, // ended: the process blocks again
    };
    const model = buildViewModel(
      {
        scan: scan([a, b, c]),
        signals: [signal(a, true), signal(b, true), signal(c, true)],
        state: { snoozes },
      },
      1_000_000,
    );
    const end = (pid: number) => model.all.find((r) => r.pid === pid)?.snoozeEnd;
    expect(end(5)).toEqual({ kind: 'time', atMs: 1_000_000 + 3600 * 1000 });
    expect(end(6)).toEqual({ kind: 'session' });
    expect(end(7)).toBeNull();
    expect(model.all.find((r) => r.pid === 7)?.blocking).toBe(true);
  });
});
