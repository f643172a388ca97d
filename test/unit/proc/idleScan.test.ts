// Idle time through the diagnosing scanner on a fake /proc: remembered per identity from one scan
// to the next (as the editor's and `watch`'s kept scanner does), forgotten when a process is not
// seen, and never claimed by a one-shot scan's two readings.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosingScanner } from '../../../src/proc/diagnosingScanner';
import type { Diagnosis } from '../../../src/proc/diagnosisTypes';
import { DEFAULT_REAPERS } from '../../../src/proc/orphan';
import { createMatcher } from '../../../src/watchdog/match';
import { writeDiagProcess, writeUptime } from '../../helpers/fakeProcTree';

const START = 900_000;
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'idle-fixture-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A pytest root and one worker (none when its ticks are null), at these CPU ticks. */
function write(uptime: number, rootTicks: number, workerTicks: number | null): void {
  writeUptime(root, uptime);
  const children = workerTicks === null ? [] : [101];
  writeDiagProcess(root, { pid: 1, ppid: 0, comm: 'tini', argv: ['tini'], starttime: 1, children: [100] });
  writeDiagProcess(root, {
    pid: 100,
    ppid: 1,
    comm: 'python3',
    argv: ['python3', '-m', 'pytest', '-n', '1'],
    starttime: START,
    utimeTicks: rootTicks,
    children,
    cwd: '/repo',
  });
  if (workerTicks === null) rmSync(join(root, '101'), { recursive: true, force: true });
  else
    writeDiagProcess(root, {
      pid: 101,
      ppid: 100,
      comm: 'python3',
      argv: ['[pytest-xdist running] tests/test_x.py::test_hangs'],
      starttime: START + 1,
      utimeTicks: workerTicks,
      cwd: '/repo',
    });
}

const worker = (d: Diagnosis) => d.workers.find((w) => w.pid === 101)?.activity;

describe('idle time in a kept scanner', () => {
  it('counts from the scan its CPU time last moved; forgets a process not seen', async () => {
    const scanner = new DiagnosingScanner({ procRoot: root, maxCachedFds: 0 });
    const matcher = createMatcher(['pytest']);
    const scan = async (uptime: number, rootTicks: number, workerTicks: number | null) => {
      write(uptime, rootTicks, workerTicks);
      const result = await scanner.scan(matcher, DEFAULT_REAPERS);
      expect(result.ok).toBe(true);
      return result.samples[0]!.diagnosis!;
    };
    try {
      const first = await scan(10_000, 50, 10);
      expect(first.activity.idleSeconds).toBeNull(); // first sight
      expect(worker(first)?.idleSeconds).toBeNull();
      const second = await scan(10_002, 50, 11);
      expect(second.activity).toMatchObject({ verdict: 'idle', idleSeconds: 2 }); // since watching began
      expect(worker(second)).toMatchObject({ verdict: 'idle', idleSeconds: 0 }); // it just ran
      const later = await scan(12_402, 50, 11);
      expect(later.activity.idleSeconds).toBe(2402);
      expect(worker(later)?.idleSeconds).toBe(2400);
      const busy = await scan(12_403, 150, 11);
      expect(busy.activity).toMatchObject({ verdict: 'spinning', idleSeconds: null });
      // The root ran (its children are listed again): the worker is not seen, its memory goes.
      const gone = await scan(12_404, 151, null);
      expect(gone.workers).toEqual([]);
      expect(gone.activity).toMatchObject({ verdict: 'idle', idleSeconds: 0 });
      const back = await scan(12_405, 152, 11);
      expect(worker(back)).toMatchObject({ verdict: 'unknown', idleSeconds: null }); // first sight again
    } finally {
      scanner.dispose();
    }
  });

  it('a one-shot scan (two readings half a second apart) claims no idle time', async () => {
    write(10_000, 50, 10);
    const scanner = new DiagnosingScanner({ procRoot: root, maxCachedFds: 0, sleep: async () => {} });
    try {
      const result = await scanner.scan(createMatcher(['pytest']), DEFAULT_REAPERS, { sampleAfterMs: 500 });
      const d = result.samples[0]!.diagnosis!;
      expect(d.activity).toMatchObject({ verdict: 'idle', idleSeconds: null });
      expect(worker(d)).toMatchObject({ verdict: 'idle', idleSeconds: null });
    } finally {
      scanner.dispose();
    }
  });
});
