import { describe, expect, it } from 'vitest';
import type { ProcessSample, ScanResult } from '../../../src/proc/types';
import { identityKey } from '../../../src/proc/types';
import { decidePidNamespace } from '../../../src/proc/pidNamespace';
import { buildViewModel, withFailedScan } from '../../../src/watchdog/viewModel';
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
    detail: '',
    sample: s,
  };
}

const scan = (samples: ProcessSample[], ok = true): ScanResult => ({
  ok,
  uptimeSeconds: 5000,
  samples,
  stats: { processes: 200, matched: samples.length, vanished: 0, denied: 0, malformed: 0, durationMs: 3 },
});

describe('buildViewModel', () => {
  it('nests xdist workers under their root, oldest first, and counts blocking without snoozed', () => {
    const root = sample(100, 1);
    const w1 = sample(101, 100, { ageSeconds: 900 });
    const w2 = sample(102, 100, { ageSeconds: 950 });
    const other = sample(300, 1, { ageSeconds: 5000 });
    const signals = [signal(w1, true), signal(root, true), signal(w2, false), signal(other, true)];
    const model = buildViewModel(scan([root, w1, w2, other]), signals, new Set([identityKey(other)]), 42);
    expect(model.roots.map((r) => r.pid)).toEqual([300, 100]);
    expect(model.roots[1]?.children.map((r) => r.pid)).toEqual([102, 101]);
    expect(model.blockingCount).toBe(2); // root + w1; `other` is snoozed, w2 is not active
    const snoozed = model.all.find((r) => r.pid === 300);
    expect(snoozed?.snoozed).toBe(true);
    expect(snoozed?.blocking).toBe(false);
    expect(model.lastScan).toMatchObject({ ok: true, atMs: 42, stats: { processes: 200, matched: 4 } });
  });

  it('labels with what is being tested, keeps the full command line, computes CPU %', () => {
    const s = sample(7, 1, {
      argv: ['/venv/bin/python3', '-m', 'pytest', '-k', 'a b'],
      cpuSeconds: 250,
      ageSeconds: 1000,
    });
    const [row] = buildViewModel(scan([s]), [signal(s, true)], new Set(), 0).all;
    expect(row?.label.startsWith('pytest')).toBe(true);
    expect(row?.label).not.toContain('/venv');
    expect(row?.commandLine).toBe('/venv/bin/python3 -m pytest -k "a b"');
    expect(row?.cpuPercent).toBeCloseTo(25);
  });

  it('breaks a ppid loop (non-atomic scan) into roots instead of hiding both rows', () => {
    const a = sample(10, 11);
    const b = sample(11, 10);
    const model = buildViewModel(scan([a, b]), [signal(a, true), signal(b, true)], new Set(), 0);
    expect(model.roots.map((r) => r.pid).sort()).toEqual([10, 11]);
  });

  it('keeps the last rows on a failed scan but records the failure', () => {
    const s = sample(5, 1);
    const good = buildViewModel(scan([s]), [signal(s, true)], new Set(), 1);
    const failed = withFailedScan(good, { ...scan([], false), error: 'EACCES' }, 2);
    expect(failed.all.map((r) => r.pid)).toEqual([5]);
    expect(failed.lastScan).toMatchObject({ ok: false, error: 'EACCES', atMs: 2 });
  });
});

describe('decidePidNamespace', () => {
  const base = { pid1Comm: 'tini', containerMarker: false, containerCgroup: false };
  it.each([
    [{ ...base, containerMarker: true }, true],
    [{ ...base, containerCgroup: true, pid1Comm: 'bash' }, true],
    [{ ...base, containerMarker: true, pid1Comm: 'systemd' }, false], // --pid=host
    [{ ...base, pid1Comm: 'systemd' }, false], // bare host
    [{ ...base }, false], // no container evidence
    [{ ...base, containerMarker: true, pid1Comm: null }, true],
  ])('%j -> isolated %s', (evidence, isolated) => {
    expect(decidePidNamespace(evidence).isolated).toBe(isolated);
  });
});
