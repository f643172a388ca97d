// The reader's gate (src/proc/scanEntry.ts) on a fake /proc: a kept task's cmdline is read again
// only once its schedstat moved, every CMDLINE_REFRESH_SCANS scans anyway, and on every scan
// after the matcher changed; "0 0 0" (schedstats off) and a root without schedstat files keep
// the plain cmdline reads. Kept fds are switched to schedstat a few hundred a scan, and none leaks.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProcScanner } from '../../../src/proc/reader';
import { CMDLINE_REFRESH_SCANS, GATE_SWITCHES_PER_SCAN } from '../../../src/proc/scanEntry';
import type { ArgvMatcher } from '../../../src/proc/types';
import { createMatcher } from '../../../src/watchdog/match';
import { writeDiagProcess, writeUptime } from '../../helpers/fakeProcTree';
import { recordingFs } from '../../helpers/recordingFs';
import type { RecordingFs } from '../../helpers/recordingFs';

let root: string;
const pytest = createMatcher(['pytest']);

function write(pid: number, argv: string[], schedstat = '50000000 2000 3'): void {
  writeDiagProcess(root, {
    pid,
    ppid: 1,
    comm: argv[0]!.slice(0, 15),
    argv,
    starttime: 1000 + pid,
    schedstat,
  });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'cmdline-gate-'));
  writeUptime(root, 10_000);
  write(1, ['init']);
  write(100, ['pytest', '-q']);
  for (let pid = 200; pid < 210; pid++) write(pid, ['vim', `notes${pid}.txt`]);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** cmdline reads of `pid` (opens and reads by path) since `from` in the recorded paths. */
const cmdlineReads = (fs: RecordingFs, from: number, pid: number): number =>
  fs.touched.slice(from).filter((p) => p === join(root, String(pid), 'cmdline')).length;

async function warmed(fs: RecordingFs, matcher: ArgvMatcher = pytest): Promise<ProcScanner> {
  const scanner = new ProcScanner({ procRoot: root, fs });
  for (let i = 0; i < 3; i++) await scanner.scan(matcher, []); // prefilter, keep, gate
  return scanner;
}

describe('the cmdline gate', () => {
  it('reads a quiet task by its schedstat, and its cmdline once in the refresh cycle', async () => {
    const fs = recordingFs();
    const scanner = await warmed(fs);
    const from = fs.touched.length;
    let matched = 0;
    for (let i = 0; i < CMDLINE_REFRESH_SCANS; i++) matched += (await scanner.scan(pytest, [])).stats.matched;
    expect(matched).toBe(CMDLINE_REFRESH_SCANS); // pytest stays matched from its memo
    for (const pid of [100, 200, 209]) expect(cmdlineReads(fs, from, pid)).toBe(1);
    expect(fs.openFds()).toBe(scanner.cachedFds);
    scanner.dispose();
    expect(fs.openFds()).toBe(0);
  });

  it('reads a task again on the scan after it ran, and sees its new title', async () => {
    const fs = recordingFs();
    const scanner = await warmed(fs);
    write(205, ['pytest', '-n', '2'], '50000001 2000 4'); // it ran, and retitled itself
    const from = fs.touched.length;
    const result = await scanner.scan(pytest, []);
    expect(cmdlineReads(fs, from, 205)).toBe(1);
    expect(result.samples.map((s) => s.pid).sort()).toEqual([100, 205]);
    // A retitle the schedstat does not show (another thread): found by the refresh.
    write(206, ['pytest', '-x'], '50000000 2000 3');
    const seen: number[] = [];
    for (let i = 0; i < CMDLINE_REFRESH_SCANS; i++) {
      const r = await scanner.scan(pytest, []);
      if (r.samples.some((s) => s.pid === 206)) seen.push(i);
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.length).toBeLessThan(CMDLINE_REFRESH_SCANS); // not before its refresh scan
    scanner.dispose();
  });

  it('reads every cmdline on the scan after the matcher changed', async () => {
    const fs = recordingFs();
    const scanner = await warmed(fs);
    const vim = createMatcher(['vim']);
    const from = fs.touched.length;
    const result = await scanner.scan(vim, []);
    for (let pid = 200; pid < 210; pid++) expect(cmdlineReads(fs, from, pid)).toBe(1);
    expect(result.stats.matched).toBe(10);
    scanner.dispose();
  });

  it('never gates on "0 0 0" (a kernel with schedstats off)', async () => {
    for (let pid = 200; pid < 210; pid++) write(pid, ['vim', `notes${pid}.txt`], '0 0 0');
    const fs = recordingFs();
    const scanner = await warmed(fs);
    const from = fs.touched.length;
    for (let i = 0; i < 3; i++) await scanner.scan(pytest, []);
    expect(cmdlineReads(fs, from, 203)).toBe(3);
    scanner.dispose();
  });

  it('keeps cmdline fds, read every scan, on a root without schedstat files', async () => {
    for (let pid = 1; pid < 210; pid++) rmSync(join(root, String(pid), 'schedstat'), { force: true });
    const fs = recordingFs();
    const scanner = await warmed(fs);
    const from = fs.touched.length;
    const result = await scanner.scan(pytest, []);
    expect(result.samples.map((s) => s.pid)).toEqual([100]);
    const opened = fs.touched.slice(from).filter((p) => p.endsWith('/cmdline') || p.endsWith('/schedstat'));
    expect(opened).toEqual([]); // every cmdline through its kept fd
    expect(fs.touched.filter((p) => p.endsWith('schedstat')).length).toBe(1); // tried once
    expect(fs.openFds()).toBe(scanner.cachedFds);
    scanner.dispose();
    expect(fs.openFds()).toBe(0);
  });

  it('a task that is gone when its schedstat would be opened does not turn the gate off', async () => {
    // 204's files vanish as a reaped task's do: no schedstat, and ESRCH through its kept fd.
    const base = recordingFs({ '/204/schedstat': 'ENOENT' });
    let gone = false;
    const fdsOf204 = new Set<number>();
    const fs: RecordingFs = {
      ...base,
      openSync(path) {
        const fd = base.openSync(path);
        if (path.endsWith('/204/cmdline')) fdsOf204.add(fd);
        return fd;
      },
      readSync(fd, buffer, offset, length, position) {
        if (gone && fdsOf204.has(fd)) throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
        return base.readSync(fd, buffer, offset, length, position);
      },
      closeSync(fd) {
        fdsOf204.delete(fd); // its number goes to the next open
        base.closeSync(fd);
      },
    };
    const scanner = new ProcScanner({ procRoot: root, fs });
    await scanner.scan(pytest, []);
    await scanner.scan(pytest, []); // kept through their cmdline fds
    gone = true;
    expect((await scanner.scan(pytest, [])).stats.vanished).toBe(1); // the others are gated now
    write(210, ['vim', 'late.txt']);
    await scanner.scan(pytest, []); // 210 kept
    const from = fs.touched.length;
    await scanner.scan(pytest, []);
    expect(fs.touched.slice(from)).toContain(join(root, '210', 'schedstat')); // and gated
    scanner.dispose();
    expect(base.openFds()).toBe(0);
  });

  it(`switches at most ${GATE_SWITCHES_PER_SCAN} kept tasks a scan`, async () => {
    for (let pid = 1000; pid < 1000 + GATE_SWITCHES_PER_SCAN + 20; pid++) write(pid, ['sleep', '600']);
    const fs = recordingFs();
    const scanner = new ProcScanner({ procRoot: root, fs });
    await scanner.scan(pytest, []);
    await scanner.scan(pytest, []);
    const from = fs.touched.length;
    await scanner.scan(pytest, []);
    const switched = fs.touched.slice(from).filter((p) => p.endsWith('/schedstat')).length;
    expect(switched).toBe(GATE_SWITCHES_PER_SCAN);
    const rest = fs.touched.length;
    await scanner.scan(pytest, []);
    const cmdlines = fs.touched.slice(rest).filter((p) => p.endsWith('/cmdline')).length;
    expect(cmdlines).toBeLessThan(100); // the last few switched, and the refresh's share
    expect(fs.openFds()).toBe(scanner.cachedFds);
    scanner.dispose();
    expect(fs.openFds()).toBe(0);
  });
});
