// Diagnosis on a fake /proc (issue 11): every verdict, workers with roles and tests, listening
// sockets from fd inodes and net tables (read once per scan), files under cwd and workspace,
// devices, the run with its branch, and unreadable fds as "needs root", never an error.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosingScanner } from '../../../src/proc/diagnosingScanner';
import type { DiagnosisOptions } from '../../../src/proc/diagnosingScanner';
import type { Diagnosis } from '../../../src/proc/diagnosisTypes';
import { DEFAULT_REAPERS } from '../../../src/proc/orphan';
import { createMatcher } from '../../../src/watchdog/match';
import { recordingFs } from '../../helpers/recordingFs';
import type { RecordingFs } from '../../helpers/recordingFs';
import {
  netLine,
  writeDiagProcess,
  writeNetTable,
  writeRootFile,
  writeUptime,
} from '../../helpers/fakeProcTree';
import type { DiagProcess } from '../../helpers/fakeProcTree';

const HZ = 100;
const START = 900_000; // ticks: 9,000 s after boot
let root: string;

const worker = (pid: number, test: string, over: Partial<DiagProcess> = {}): DiagProcess => ({
  pid,
  ppid: 100,
  comm: 'python3',
  argv: [`[pytest-xdist running] ${test}`], // setproctitle leaves one string with spaces
  starttime: START + pid,
  sid: 50,
  pgid: 50,
  ...over,
});

/** A pytest -n run orphaned onto tini: six workers covering every state, one listening. */
function tree(second: boolean): DiagProcess[] {
  return [
    { pid: 1, ppid: 0, comm: 'tini', argv: ['tini', '--', 'app'], starttime: 1, children: [100] },
    {
      pid: 100,
      ppid: 1,
      comm: 'python3',
      argv: ['/usr/bin/python3', '-m', 'pytest', '-n', '6', 'tests/test_x.py::test_spin'],
      starttime: START,
      sid: 50,
      pgid: 50,
      children: [101, 102, 103, 104, 105, 106],
      cwd: '/repo',
      wchan: 'do_select',
      fds: {
        0: '/dev/null',
        3: '/repo/db.sqlite',
        4: '/etc/passwd',
        5: '/dev/nvidia0',
        6: '/dev/dri/renderD128',
      },
    },
    worker(101, 'tests/test_x.py::test_spin', { state: 'R', utimeTicks: second ? 1100 : 1000, cwd: '/repo' }),
    worker(102, 'tests/test_x.py::test_port', {
      wchan: 'do_select',
      fds: {
        3: 'socket:[5555]',
        4: 'socket:[5556]',
        5: 'socket:[5557]',
        6: 'socket:[7777]',
        7: '/ws/notes.txt',
      },
    }),
    worker(103, 'x', { argv: ['python3', 'server.py'], sid: 103, pgid: 103, state: 'D' }),
    worker(104, 'x', { argv: ['sleep', '100'], state: 'T' }),
    worker(105, 'x', { argv: [], state: 'Z' }),
    worker(106, 'tests/test_x.py::test_busy[a b]', {
      utimeTicks: second ? 120 : 100,
      fds: { 3: 'socket:[5555]' },
    }),
  ];
}

function writeTree(second: boolean): void {
  writeUptime(root, second ? 10_001 : 10_000);
  for (const p of tree(second)) writeDiagProcess(root, p);
  writeNetTable(root, 102, 'tcp', [
    netLine('0100007F:223D', '00000000:0000', '0A', 5555), // 127.0.0.1:8765 LISTEN
    netLine('0100007F:C350', '0100007F:223D', '01', 7777), // an established client: not held
  ]);
  writeNetTable(root, 102, 'tcp6', [
    netLine('00000000000000000000000000000000:1F90', '00000000000000000000000000000000:0000', '0A', 5556),
  ]);
  writeNetTable(root, 102, 'udp', [netLine('00000000:14E9', '00000000:0000', '07', 5557)]);
  writeNetTable(root, 102, 'udp6', []);
  writeRootFile(root, 100, 'repo/.git/HEAD', 'ref: refs/heads/feature/merge-gate\n');
}

async function scanTwice(
  fs: RecordingFs,
  options: DiagnosisOptions = {},
): Promise<{ first: Diagnosis; second: Diagnosis }> {
  const scanner = new DiagnosingScanner({ procRoot: root, maxCachedFds: 0, fs });
  const matcher = createMatcher(['pytest']);
  try {
    writeTree(false);
    const a = await scanner.scan(matcher, DEFAULT_REAPERS, options);
    writeTree(true);
    const b = await scanner.scan(matcher, DEFAULT_REAPERS, options);
    expect(a.ok && b.ok).toBe(true);
    expect(b.samples.map((s) => s.pid)).toEqual([100]); // workers are not matches of their own
    return { first: a.samples[0]!.diagnosis!, second: b.samples[0]!.diagnosis! };
  } finally {
    scanner.dispose();
  }
}

const byPid = (d: Diagnosis, pid: number) => d.workers.find((w) => w.pid === pid)!;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'diag-fixture-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('diagnosis on a fake /proc', () => {
  it('gives every verdict: unknown without an interval, then spinning, busy, idle; D, T, Z from the state', async () => {
    const { first, second } = await scanTwice(recordingFs());
    expect(first.activity).toMatchObject({ cpuPercent: null, verdict: 'unknown' });
    expect(byPid(first, 101).activity.verdict).toBe('unknown');
    const verdicts = Object.fromEntries(second.workers.map((w) => [w.pid, w.activity.verdict]));
    expect(verdicts).toEqual({
      101: 'spinning',
      102: 'idle',
      103: 'uninterruptible',
      104: 'stopped',
      105: 'zombie',
      106: 'busy',
    });
    expect(byPid(second, 101).activity).toMatchObject({
      cpuPercent: 100,
      cpuSeconds: 11.01,
      state: 'R',
      wchan: null,
    });
    expect(byPid(second, 106).activity.cpuPercent).toBe(20);
    expect(second.activity).toMatchObject({ cpuPercent: 0, verdict: 'idle', wchan: 'do_select' });
    expect(HZ).toBe(100);
  });

  it('lists workers with roles and the tests they run (xdist titles, node ids in argv)', async () => {
    const { second } = await scanTwice(recordingFs());
    expect(second.workers.map((w) => [w.pid, w.role])).toEqual([
      [101, 'xdist-worker'],
      [102, 'xdist-worker'],
      [103, 'setsid-child'],
      [104, 'child'],
      [105, 'child'],
      [106, 'xdist-worker'],
    ]);
    expect(byPid(second, 101).tests).toEqual(['tests/test_x.py::test_spin']);
    expect(byPid(second, 106).tests).toEqual(['tests/test_x.py::test_busy[a b]']);
    expect(byPid(second, 104).tests).toEqual([]);
    expect(second.tests).toEqual(['tests/test_x.py::test_spin']);
    expect(second.workersComplete).toBe(true);
  });

  it('finds listening TCP, TCP6 and UDP sockets by inode; a connected socket is not held', async () => {
    const { second } = await scanTwice(recordingFs());
    expect(byPid(second, 102).holds).toMatchObject({
      listening: [
        { proto: 'udp', address: '0.0.0.0', port: 5353 },
        { proto: 'tcp', address: '::', port: 8080 },
        { proto: 'tcp', address: '127.0.0.1', port: 8765 },
      ],
      files: [],
      complete: true,
      unknown: null,
    });
    expect(byPid(second, 106).holds.listening).toEqual([{ proto: 'tcp', address: '127.0.0.1', port: 8765 }]);
  });

  it('reads the net tables once per scan, however many processes hold sockets', async () => {
    const fs = recordingFs();
    await scanTwice(fs);
    const reads = fs.touched.filter((p) => p.endsWith('/net/tcp'));
    expect(reads).toEqual([`${root}/102/net/tcp`, `${root}/102/net/tcp`]); // two scans, once each
  });

  it('lists files under the run cwd and the workspace, accelerator devices, and the run with its branch', async () => {
    const { second } = await scanTwice(recordingFs(), { workspaces: ['/ws'] });
    expect(second.holds).toMatchObject({
      files: ['/repo/db.sqlite'],
      devices: ['/dev/nvidia0', '/dev/dri/renderD128'],
      complete: true,
    });
    expect(byPid(second, 102).holds.files).toEqual(['/ws/notes.txt']);
    expect(second.run).toEqual({
      sid: 50,
      pgid: 50,
      cwd: '/repo',
      branch: 'feature/merge-gate',
      worktree: null,
      workspace: null,
    });
    expect(byPid(second, 103).run).toMatchObject({ sid: 103, pgid: 103 });
  });

  it('unreadable fds are "unknown: needs root", never an error', async () => {
    const fs = recordingFs({ '/102/fd': 'EACCES', '/100/fd/3': 'EACCES' });
    const { second } = await scanTwice(fs);
    expect(byPid(second, 102).holds).toMatchObject({ listening: [], complete: false, unknown: 'needs root' });
    expect(second.holds).toMatchObject({
      complete: false,
      unknown: 'needs root',
      devices: ['/dev/nvidia0', '/dev/dri/renderD128'],
    });
    expect(byPid(second, 101).holds).toMatchObject({ complete: true, unknown: null });
  });

  it('a fork bomb under a test is cut at the bound, said so', async () => {
    writeTree(false);
    const many = Array.from({ length: 300 }, (_, i) => 2000 + i);
    writeDiagProcess(root, { ...tree(false)[1]!, children: many });
    for (const pid of many) writeDiagProcess(root, worker(pid, 'x', { argv: ['sleep', '9'] }));
    const scanner = new DiagnosingScanner({ procRoot: root, maxCachedFds: 0 });
    const result = await scanner.scan(createMatcher(['pytest']), DEFAULT_REAPERS, { testChildren: false });
    scanner.dispose();
    const d = result.samples[0]!.diagnosis!;
    expect(d.workers).toHaveLength(256);
    expect(d.workersComplete).toBe(false);
  });

  it('reuses what it read for a process that has not run since (exact runtime unchanged), not for one that ran or has threads', async () => {
    const fs = recordingFs();
    const scanner = new DiagnosingScanner({ procRoot: root, maxCachedFds: 0, fs });
    const matcher = createMatcher(['pytest']);
    const holder = (runtime: string, fds: Record<number, string>, threads = 1): DiagProcess =>
      worker(102, 'tests/test_x.py::test_port', { schedstat: `${runtime} 0 1`, fds, threads });
    const files = async (): Promise<readonly string[]> => {
      const r = await scanner.scan(matcher, DEFAULT_REAPERS, { workspaces: ['/ws'], testChildren: false });
      return byPid(r.samples[0]!.diagnosis!, 102).holds.files;
    };
    writeTree(false);
    writeDiagProcess(root, holder('5000', { 3: '/ws/a' }));
    expect(await files()).toEqual(['/ws/a']);
    writeDiagProcess(root, holder('5000', { 3: '/ws/b' })); // cannot happen without running: not re-read
    expect(await files()).toEqual(['/ws/a']);
    writeDiagProcess(root, holder('6000', { 3: '/ws/b' })); // it ran: read again
    expect(await files()).toEqual(['/ws/b']);
    writeDiagProcess(root, holder('6000', { 3: '/ws/c' }, 2)); // another thread may have: read again
    expect(await files()).toEqual(['/ws/c']);
    scanner.dispose();
  });

  it('a lone process that has not run keeps its diagnosis, but a socket it shares is looked up again', async () => {
    const scanner = new DiagnosingScanner({ procRoot: root, maxCachedFds: 0 });
    const matcher = createMatcher(['pytest']);
    const lone = (fds: Record<number, string>): DiagProcess => ({
      ...tree(false)[1]!,
      children: [],
      schedstat: '777 0 1',
      fds,
    });
    const holds = async () =>
      (await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: false })).samples[0]!.diagnosis!.holds;
    writeTree(false);
    writeDiagProcess(root, lone({ 3: 'socket:[4242]' }));
    writeNetTable(root, 100, 'tcp', []);
    expect((await holds()).listening).toEqual([]);
    // A forked sibling that shares the socket calls listen(): this process never ran.
    writeNetTable(root, 100, 'tcp', [netLine('0100007F:1F90', '00000000:0000', '0A', 4242)]);
    expect((await holds()).listening).toEqual([{ proto: 'tcp', address: '127.0.0.1', port: 8080 }]);
    scanner.dispose();
  });
});
