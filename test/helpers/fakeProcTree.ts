// Writes fake /proc trees for tests: only the files the watchdog reads (stat, cmdline, status,
// cgroup, uptime), in the kernel's formats.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface FakeProcess {
  readonly pid: number;
  readonly ppid: number;
  readonly comm: string;
  readonly argv: readonly string[];
  /** Clock ticks after boot (stat field 22). */
  readonly starttime: number;
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

/** proc(5) stat line with fields 1..24 and a realistic tail. */
export function statLine(p: FakeProcess): string {
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
    1, // 15 stime
    0, // 16 cutime
    0, // 17 cstime
    20, // 18 priority
    0, // 19 nice
    p.threads ?? 1, // 20 num_threads
    0, // 21 itrealvalue
    p.starttime, // 22 starttime
    12_000_000, // 23 vsize
    p.rssPages ?? 600, // 24 rss
    '18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0',
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
