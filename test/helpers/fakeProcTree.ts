// Writes fake /proc trees for tests, in the kernel's formats: the files the reader reads (stat,
// cmdline, status, cgroup, uptime); for the diagnosis tests also task/<pid>/children, fd/<n>
// links, cwd, wchan, schedstat, ns/net, net/{tcp,tcp6,udp,udp6} and a `root/` folder standing for
// the process's file system (git); and large churning trees for the scale and soak runs
// (FakeTree), generated into a scratch folder, never committed.
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface FakeProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly argv: readonly string[];
  /** Clock ticks after boot (stat field 22). */
  readonly starttime: number;
  /** stat field 15; default 1 (utimeTicks, field 14, defaults to 5). */
  readonly stimeTicks?: number;
  readonly state?: string;
  readonly nspid?: readonly number[];
  /** Whole text of /proc/<pid>/cgroup; default `0::/user.slice`. */
  readonly cgroup?: string;
  readonly utimeTicks?: number;
  readonly rssPages?: number;
  /** stat fields 5, 6 and 20; default pid, pid and 1. */
  readonly pgid?: number;
  readonly sid?: number;
  readonly threads?: number;
}

/** What a stat line says about a process. */
export type StatSpec = Pick<FakeProcess, 'pid' | 'comm' | 'ppid' | 'starttime'> &
  Partial<Pick<FakeProcess, 'state' | 'utimeTicks' | 'stimeTicks' | 'rssPages' | 'pgid' | 'sid' | 'threads'>>;

/**
 * The one proc(5) stat line writer of the tests: fields 1..52 as Linux 6.x prints them, the
 * fields the parsers read (1-6, 14, 15, 20, 22, 24) from `p`, the others realistic constants.
 */
export function statLine(p: StatSpec): string {
  const fields = [
    p.pid, // 1 pid
    `(${p.comm})`, // 2 comm
    p.state ?? 'S', // 3 state
    p.ppid, // 4 ppid
    p.pgid ?? p.pid, // 5 pgrp
    p.sid ?? p.pid, // 6 session
    0, // 7 tty_nr
    -1, // 8 tpgid
    4194560, // 9 flags
    100, // 10 minflt
    0, // 11 cminflt
    0, // 12 majflt
    0, // 13 cmajflt
    p.utimeTicks ?? 5, // 14 utime
    p.stimeTicks ?? 1, // 15 stime
    0, // 16 cutime
    0, // 17 cstime
    20, // 18 priority
    0, // 19 nice
    p.threads ?? 1, // 20 num_threads
    0, // 21 itrealvalue
    p.starttime, // 22 starttime
    12_000_000, // 23 vsize
    p.rssPages ?? 600, // 24 rss
    '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0', // 25..52
  ];
  return `${fields.join(' ')}\n`;
}

export function writeFakeProcess(root: string, p: FakeProcess): void {
  const dir = join(root, String(p.pid));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'stat'), statLine(p));
  writeFileSync(join(dir, 'cmdline'), p.argv.length === 0 ? '' : `${p.argv.join('\0')}\0`);
  const nspid = (p.nspid ?? [p.pid]).join('\t');
  writeFileSync(
    join(dir, 'status'),
    `Name:\t${p.comm}\nState:\t${p.state ?? 'S'} (sleeping)\nPid:\t${p.pid}\nPPid:\t${p.ppid}\nUid:\t1000\t1000\t1000\t1000\nNSpid:\t${nspid}\nVmRSS:\t    2400 kB\n`,
  );
  writeFileSync(join(dir, 'cgroup'), p.cgroup ?? '0::/user.slice/user-1000.slice/session-1.scope\n');
}

export function removeFakeProcess(root: string, pid: number): void {
  rmSync(join(root, String(pid)), { recursive: true, force: true });
}

export function writeUptime(root: string, uptimeSeconds: number): void {
  mkdirSync(root, { recursive: true });
  writeFileSync(join(root, 'uptime'), `${uptimeSeconds.toFixed(2)} ${(uptimeSeconds * 1.5).toFixed(2)}\n`);
}

// Diagnosis: what a matched run is doing and holds.
export interface DiagProcess extends FakeProcess {
  readonly children?: readonly number[];
  /** fd number -> link text (`socket:[123]`, `/dev/nvidia0`, `/repo/db.sqlite`). */
  readonly fds?: Readonly<Record<number, string>>;
  readonly cwd?: string;
  readonly wchan?: string;
  /** `<ns on cpu> <ns waiting> <slices>`. */
  readonly schedstat?: string;
  /** `net:[4026531840]`; default that. */
  readonly netns?: string;
}

export const NET_HEADER =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

/** One /proc/net/tcp line: local `0100007F:1F90`, state `0A` = LISTEN. */
export function netLine(local: string, remote: string, state: string, inode: number): string {
  return `   0: ${local} ${remote} ${state} 00000000:00000000 00:00000000 00000000  1000        0 ${inode} 1 0000000000000000 100 0 0 10 0\n`;
}

/** A process tests may leave behind: a python spinner, re-parented onto init unless `over` says. */
export const spinnerOrphan = (pid: number, over: Partial<DiagProcess> = {}): DiagProcess => ({
  pid,
  ppid: 1,
  comm: 'python3',
  argv: ['python3', '-c', 'while True: pass'],
  starttime: 500_000 + pid,
  cwd: '/',
  ...over,
});

/** Init (tini) with these children: where the search for processes left behind starts. */
export function writeInit(root: string, children: readonly number[]): void {
  writeDiagProcess(root, {
    pid: 1,
    ppid: 0,
    comm: 'tini',
    argv: ['tini', '--', 'app'],
    starttime: 1,
    children,
  });
}

export function writeDiagProcess(root: string, p: DiagProcess): void {
  writeFakeProcess(root, p);
  const dir = join(root, String(p.pid));
  mkdirSync(join(dir, 'task', String(p.pid)), { recursive: true });
  writeFileSync(
    join(dir, 'task', String(p.pid), 'children'),
    (p.children ?? []).map((c) => `${c} `).join(''),
  );
  rmSync(join(dir, 'fd'), { recursive: true, force: true });
  mkdirSync(join(dir, 'fd'));
  for (const [n, target] of Object.entries(p.fds ?? { 0: '/dev/null', 1: 'pipe:[1]', 2: 'pipe:[1]' }))
    symlinkSync(target, join(dir, 'fd', n));
  link(join(dir, 'cwd'), p.cwd ?? '/');
  writeFileSync(join(dir, 'wchan'), p.wchan ?? '0');
  // Runtime follows utime by default, so a process whose CPU moved has run (diagMemory.ts).
  writeFileSync(join(dir, 'schedstat'), `${p.schedstat ?? `${(p.utimeTicks ?? 5) * 10_000_000} 2000 3`}\n`);
  mkdirSync(join(dir, 'ns'), { recursive: true });
  link(join(dir, 'ns', 'net'), p.netns ?? 'net:[4026531840]');
}

/** net/<table> of `pid` (a fixture keeps one copy per process; the kernel shows the namespace's). */
export function writeNetTable(root: string, pid: number, table: string, lines: readonly string[]): void {
  const dir = join(root, String(pid), 'net');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, table), NET_HEADER + lines.join(''));
}

/** A file as `pid` sees it through /proc/<pid>/root (git HEAD, a gitdir file). */
export function writeRootFile(root: string, pid: number, path: string, text: string): void {
  const file = join(root, String(pid), 'root', path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function link(path: string, target: string): void {
  rmSync(path, { force: true });
  symlinkSync(target, path);
}

// Large trees: N processes, a few percent of them pytest runs, some orphaned onto tini; churn
// (processes exit and new ones start between ticks).
export interface FakeTreeOptions {
  readonly count: number;
  /** One process in `matchEvery` runs pytest; default 20 (5 %). */
  readonly matchEvery?: number;
  readonly uptimeSeconds?: number;
}

const TINI: FakeProcess = {
  pid: 1,
  ppid: 0,
  comm: 'tini',
  argv: ['tini', '--', 'orchestrator'],
  starttime: 1,
};
const FIRST_PID = 100;

/** A growing fake tree: `live` pids, new ones always above every pid used so far. */
export class FakeTree {
  readonly live: number[] = [];
  private nextPid = FIRST_PID;
  private ran = 0;
  private runtimeNs = 50_000_000;
  private uptimeSeconds: number;
  private readonly matchEvery: number;

  constructor(
    readonly root: string,
    options: FakeTreeOptions,
  ) {
    this.uptimeSeconds = options.uptimeSeconds ?? 100_000;
    this.matchEvery = options.matchEvery ?? 20;
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    writeUptime(root, this.uptimeSeconds);
    writeFakeProcess(root, TINI);
    for (let i = 0; i < options.count; i++) this.spawn();
  }

  /**
   * `n` of the oldest live processes exit, `n` new ones start, and `n` others run (their
   * schedstat moves, so the reader's gate reads their cmdline again); the boot clock advances.
   */
  churn(n: number, advanceSeconds = 1): void {
    for (const pid of this.live.splice(0, Math.min(n, this.live.length))) removeFakeProcess(this.root, pid);
    this.uptimeSeconds += advanceSeconds;
    writeUptime(this.root, this.uptimeSeconds);
    for (let i = 0; i < n; i++) this.spawn();
    const step = Math.max(1, Math.floor(this.live.length / Math.max(1, n)));
    for (let i = this.ran++ % step; i < this.live.length; i += step) this.run(this.live[i]!);
  }

  private run(pid: number): void {
    this.runtimeNs += 1_000_003;
    writeFileSync(join(this.root, String(pid), 'schedstat'), `${this.runtimeNs} 2000 ${this.ran}\n`);
  }

  private spawn(): void {
    const pid = this.nextPid++;
    const matching = pid % this.matchEvery === 0;
    // Ages spread over the last ~3 h so some matches block (> 60 min) and some do not.
    const ageSeconds = (pid * 37) % 10_800;
    const starttime = Math.max(1, Math.round((this.uptimeSeconds - ageSeconds) * 100));
    writeFakeProcess(this.root, {
      pid,
      ppid: pid % 3 === 0 ? 1 : FIRST_PID,
      comm: matching ? 'pytest' : 'python3',
      argv: matching
        ? ['/venv/bin/python', '-m', 'pytest', '-x', `tests/test_${pid}.py`]
        : ['/usr/bin/python3', '-m', 'http.server', String(8000 + (pid % 1000))],
      starttime,
    });
    this.run(pid);
    this.live.push(pid);
  }
}
