// Fake /proc trees for the diagnosis tests: on top of fakeProcTree's stat/cmdline/status/cgroup,
// the files diagnosis reads: task/<pid>/children, fd/<n> links, cwd, wchan, schedstat, ns/net,
// net/{tcp,tcp6,udp,udp6}, and a `root/` folder standing for the process's file system (git).
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { FakeProcess } from './fakeProcTree';
import { writeFakeProcess } from './fakeProcTree';

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
