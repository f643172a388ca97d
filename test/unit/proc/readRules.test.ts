// The read-count rules (issue 11 item 9, issue 13 item 5) pinned on a fake /proc through a
// ProcFs that counts every read by kind of file and pid (src/proc/readCounter.ts): bystanders
// get their cmdline read and nothing else; extra reads touch matches, their descendants and
// init's children only; each net table at most once per scan however many processes hold
// sockets (and only until every socket looked up was seen in one); cwd only for orphans (and
// runs); an fd scan only for an orphan its cwd or argv did not decide; a steady scan reads no
// orphan's cwd or fds again.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosingScanner } from '../../../src/proc/diagnosingScanner';
import { DEFAULT_REAPERS } from '../../../src/proc/orphan';
import { nodeProcFs } from '../../../src/proc/procFs';
import { countingProcFs, readKindOf } from '../../../src/proc/readCounter';
import type { ReadEvent, ReadKind } from '../../../src/proc/readCounter';
import { checkReadRules } from '../../../src/proc/readRules';
import { CMDLINE_REFRESH_SCANS } from '../../../src/proc/scanEntry';
import { createMatcher } from '../../../src/watchdog/match';
import { netLine, writeDiagProcess, writeNetTable, writeUptime } from '../../helpers/fakeProcTree';
import type { DiagProcess } from '../../helpers/fakeProcTree';

const BT = '/tmp/pytest-of-dev/pytest-3';
let root: string;

const proc = (pid: number, ppid: number, argv: string[], over: Partial<DiagProcess> = {}): DiagProcess => ({
  pid,
  ppid,
  comm: argv[0]!.split('/').pop()!.slice(0, 15),
  argv,
  starttime: 100_000 + pid,
  ...over,
});

/** An xdist worker of run 100 holding these fds. */
const writeWorker = (pid: number, fds: Record<number, string>): void =>
  writeDiagProcess(
    root,
    proc(pid, 100, [`[pytest-xdist running] tests/t.py::test_${pid}`], {
      cwd: '/repo',
      sid: 100,
      pgid: 100,
      fds,
    }),
  );

function writeMachine(): void {
  writeUptime(root, 10_000);
  mkdirSync(join(root, 'sys/kernel/random'), { recursive: true });
  writeFileSync(join(root, 'sys/kernel/random/boot_id'), 'boot-a\n');
  writeDiagProcess(root, proc(1, 0, ['tini', '--', 'app'], { children: [40, 200, 300, 500] }));
  writeDiagProcess(root, proc(40, 1, ['bash'], { children: [100, 700, 701, 702], cwd: '/repo' }));
  // A pytest run with two workers, both holding a socket (one namespace: tables read once).
  writeDiagProcess(
    root,
    proc(100, 40, ['pytest', '-n', '2'], { children: [101, 102], cwd: '/repo', sid: 100, pgid: 100 }),
  );
  for (const [pid, inode] of [
    [101, 4242],
    [102, 4343],
  ] as const) {
    writeWorker(pid, { 0: '/dev/null', 3: `socket:[${inode}]` });
    // The namespace's tables, as the kernel shows them to each of its processes.
    for (const table of ['tcp', 'tcp6', 'udp', 'udp6'])
      writeNetTable(
        root,
        pid,
        table,
        table === 'tcp'
          ? [
              netLine('0100007F:1F90', '00000000:0000', '0A', 4242),
              netLine('0100007F:1F91', '00000000:0000', '0A', 4343),
            ]
          : [],
      );
  }
  // Bystanders: not matched, not orphaned.
  for (const pid of [700, 701, 702])
    writeDiagProcess(root, proc(pid, 40, ['vim', 'notes.txt'], { cwd: '/home' }));
  // Orphans: decided by cwd, by argv, and one with no evidence (its fds must be looked at).
  writeDiagProcess(root, proc(200, 1, ['python3', 'server.py'], { cwd: `${BT}/test_a0` }));
  writeDiagProcess(root, proc(300, 1, ['python3', `${BT}/test_b0/sleepy.py`]));
  writeDiagProcess(root, proc(500, 1, ['python3', '-c', 'while True: pass'], { cwd: '/tmp' }));
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'read-rules-'));
  writeMachine();
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const of = (events: readonly ReadEvent[], pid: number): ReadKind[] =>
  events.filter((e) => e.pid === pid).map((e) => e.kind);
const count = (events: readonly ReadEvent[], kind: ReadKind, pid?: number): number =>
  events.filter((e) => e.kind === kind && (pid === undefined || e.pid === pid)).length;

async function twoScans(): Promise<{ first: ReadEvent[]; second: ReadEvent[]; pids: number[] }> {
  const fs = countingProcFs(nodeProcFs, root);
  const scanner = new DiagnosingScanner({ procRoot: root, fs });
  const matcher = createMatcher(['pytest']);
  const r1 = await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
  const first = fs.take();
  await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
  const second = fs.take();
  scanner.dispose();
  return { first, second, pids: r1.samples.map((s) => s.pid).sort((a, b) => a - b) };
}

describe('read-count rules', () => {
  it('classifies paths under the root by kind and pid', () => {
    const r = `${root}/`;
    expect(readKindOf(r, `${r}12/cmdline`)).toEqual({ kind: 'cmdline', pid: 12 });
    expect(readKindOf(r, `${r}12/task/13/children`)).toEqual({ kind: 'children', pid: 12 });
    expect(readKindOf(r, `${r}12/fd/`)).toEqual({ kind: 'fdList', pid: 12 });
    expect(readKindOf(r, `${r}12/fd/3`)).toEqual({ kind: 'fdLink', pid: 12 });
    expect(readKindOf(r, `${r}12/net/tcp6`)).toEqual({ kind: 'net', pid: 12 });
    expect(readKindOf(r, `${r}uptime`)).toEqual({ kind: 'uptime', pid: null });
    expect(readKindOf(r, root)).toEqual({ kind: 'listing', pid: null });
  });

  it('first scan: bystanders cost their cmdline only, net tables once, fds only for the undecided orphan', async () => {
    const { first, pids } = await twoScans();
    expect(pids).toEqual([100, 200, 300]); // the run, and the two orphans with evidence
    for (const pid of [700, 701, 702]) expect(of(first, pid)).toEqual(['cmdline']);
    expect(count(first, 'net')).toBe(1); // tcp once for two socket holders: both sockets are in it
    // The finder lists fds only for 500 (no evidence) and 40 (init's child, no evidence);
    // 200 and 300 were decided by cwd and argv: their one listing is diagnosis (what they hold).
    for (const pid of [40, 500, 200, 300, 100, 101, 102]) expect(count(first, 'fdList', pid)).toBe(1);
    expect(count(first, 'fdList')).toBe(7);
    expect(new Set(first.filter((e) => e.kind === 'cwd').map((e) => e.pid))).toEqual(
      new Set([40, 100, 101, 102, 200, 300, 500]),
    );
    const roles = {
      diagnosed: new Set([100, 200, 300]),
      descendants: new Set([101, 102]),
      parents: new Set([40, 1]),
      orphans: new Set([40, 200, 300, 500]),
      lineage: new Set<number>(),
    };
    expect(checkReadRules(first, roles).violations).toEqual({});
  });

  it('steady scan: no orphan is examined again, no fd is listed, net tables still once', async () => {
    const { second } = await twoScans();
    // Opened and kept on the second scan (the first prefiltered them as text).
    for (const pid of [700, 701, 702]) expect(of(second, pid)).toEqual(['cmdline']);
    expect(of(second, 500)).toEqual(['cmdline']); // decided last scan: no evidence
    expect(of(second, 40).sort()).toEqual(['cmdline', 'stat']); // the same, but the run's parent
    expect(count(second, 'fdList') + count(second, 'fdLink')).toBe(0);
    // The socket holders have not run: their sockets were listening and still are.
    expect(count(second, 'net')).toBe(0);
    expect(count(second, 'status') + count(second, 'cgroup') + count(second, 'wchan')).toBe(0);
  });

  it('steady scans after that: a bystander that has not run costs its schedstat, and its cmdline once in 16 scans', async () => {
    const fs = countingProcFs(nodeProcFs, root);
    const scanner = new DiagnosingScanner({ procRoot: root, fs });
    const matcher = createMatcher(['pytest']);
    for (let i = 0; i < 2; i++) await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
    fs.take();
    // The third scan gates the kept tasks: schedstat first, then the cmdline through the old fd.
    await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
    const third = fs.take();
    for (const pid of [700, 701, 702, 500]) expect(of(third, pid)).toEqual(['schedstat', 'cmdline']);
    const reads: ReadEvent[][] = [];
    for (let i = 0; i < CMDLINE_REFRESH_SCANS; i++) {
      await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
      reads.push(fs.take());
    }
    for (const pid of [700, 701, 702, 500]) {
      expect(reads.map((events) => count(events, 'schedstat', pid))).toEqual(reads.map(() => 1));
      expect(reads.map((events) => count(events, 'cmdline', pid)).filter((n) => n > 0)).toEqual([1]);
    }
    // 701 runs (its schedstat moves) and retitles itself: read, and matched, on the next scan.
    writeFileSync(join(root, '701', 'schedstat'), '123456789 1000 5\n');
    writeFileSync(join(root, '701', 'cmdline'), 'pytest\0-q\0');
    const after = await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
    expect(count(fs.take(), 'cmdline', 701)).toBe(1);
    scanner.dispose();
    expect(after.samples.map((s) => s.pid)).toContain(701);
  });

  it('steady scan: a socket holder that ran has its socket looked up again, in one table read', async () => {
    const fs = countingProcFs(nodeProcFs, root);
    const scanner = new DiagnosingScanner({ procRoot: root, fs });
    const matcher = createMatcher(['pytest']);
    await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
    writeFileSync(join(root, '101', 'schedstat'), '90000000 2000 9\n'); // 101 ran
    fs.take();
    const r2 = await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
    const second = fs.take();
    scanner.dispose();
    expect(count(second, 'net')).toBe(1);
    expect(count(second, 'net', 101)).toBe(1);
    const ports = r2.samples
      .find((s) => s.pid === 100)
      ?.diagnosis?.workers.map((w) => w.holds.listening.map((l) => l.port));
    expect(ports).toEqual([[8080], [8081]]); // 0x1F90, 0x1F91: found again, and kept from memory
  });

  it("a match's cwd link is read on the first scan and again only once it has run", async () => {
    const fs = countingProcFs(nodeProcFs, root);
    const scanner = new DiagnosingScanner({ procRoot: root, fs });
    const matcher = createMatcher(['pytest']);
    const cwdOf100 = async (): Promise<[string | null | undefined, number]> => {
      const r = await scanner.scan(matcher, DEFAULT_REAPERS, { testChildren: true });
      return [r.samples.find((s) => s.pid === 100)?.cwd, count(fs.take(), 'cwd', 100)];
    };
    expect(await cwdOf100()).toEqual(['/repo', 1]);
    expect(await cwdOf100()).toEqual(['/repo', 0]); // has not run: it cannot have moved
    rmSync(join(root, '100', 'cwd'));
    symlinkSync('/repo/sub', join(root, '100', 'cwd'));
    writeFileSync(join(root, '100', 'schedstat'), '90000000 2000 9\n'); // ran (and chdir'd)
    expect(await cwdOf100()).toEqual(['/repo/sub', 1]);
    scanner.dispose();
  });

  it('a socket in no table (a unix socket) costs each of the four tables once, not once per holder', async () => {
    for (const pid of [101, 102])
      writeWorker(pid, { 0: '/dev/null', 3: `socket:[${pid === 101 ? 4242 : 4343}]`, 4: `socket:[9${pid}]` });
    const { first, second } = await twoScans();
    for (const events of [first, second]) {
      const tables = events.filter((e) => e.kind === 'net');
      expect(tables).toHaveLength(4); // tcp, tcp6, udp, udp6: the unix sockets are in none
    }
  });

  it('a read outside the rules is named', () => {
    const roles = {
      diagnosed: new Set([100]),
      descendants: new Set<number>(),
      parents: new Set<number>(),
      orphans: new Set([500]),
      lineage: new Set<number>(),
    };
    const events: ReadEvent[] = [
      { kind: 'cmdline', pid: 700 },
      { kind: 'cwd', pid: 700 },
      { kind: 'schedstat', pid: 500 }, // the reader's gate: anyone's, once a scan
      { kind: 'schedstat', pid: 500 },
      { kind: 'schedstat', pid: 100 },
      { kind: 'schedstat', pid: 100 }, // diagnosis reads a match's again
      { kind: 'fdList', pid: 500 },
    ];
    expect(checkReadRules(events, roles).violations).toEqual({ 'cwd of other': 1, 'schedstat of orphan': 1 });
  });
});
