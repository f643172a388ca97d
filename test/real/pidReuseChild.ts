// Runs inside `unshare --pid --fork --mount-proc` (see pidReuse.test.ts): there it is pid 1 of a
// private pid namespace, so it can make the kernel hand a dead process's pid to a new one by
// writing ns_last_pid, with nothing else racing for pids. Prints one JSON line of observations.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { openSync, readSync, writeFileSync } from 'node:fs';
import { readProcessIdentitySync } from '../../src/proc/readProcess';
import type { ProcessIdentityRead } from '../../src/proc/readProcess';
import { ProcScanner } from '../../src/proc/reader';
import type { ArgvMatcher, ProcessSample } from '../../src/proc/types';

/** The JSON line this prints (what pidReuse.test.ts checks). */
export interface Seen {
  readonly pid: number;
  readonly secondPid: number | undefined;
  readonly before: ProcessIdentityRead;
  readonly after: ProcessIdentityRead;
  /** The starttime of `before` / `after`, null unless it was read. */
  readonly beforeStarttime: number | null;
  readonly afterStarttime: number | null;
  readonly readBefore: string;
  readonly oldFdRead: string;
  readonly keptSample: ProcessSample | null;
  readonly rescanSample: ProcessSample | null;
}

const starttimeOf = (id: ProcessIdentityRead): number | null => (id.kind === 'ok' ? id.starttime : null);

const matcher: ArgvMatcher = {
  needles: ['pytest'],
  match: (argv) => (argv[0] === 'pytest' ? 'pytest' : null),
};

function start(argv0: string, arg: string): ChildProcess {
  return spawn('sleep', [arg], { argv0, stdio: 'ignore' });
}

const exited = (child: ChildProcess): Promise<void> =>
  new Promise((resolve) => child.once('exit', () => resolve()));
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

async function main(): Promise<void> {
  const scanner = new ProcScanner({});
  const first = start('pytest', '301');
  await sleep(50);
  const pid = first.pid!;
  const before = readProcessIdentitySync('/proc', pid);
  const fd = openSync(`/proc/${pid}/cmdline`, 'r');
  await scanner.scan(matcher, []);
  const kept = await scanner.scan(matcher, []); // the fd is cached from here on
  const buffer = Buffer.alloc(4096);
  const readBefore = buffer.subarray(0, readSync(fd, buffer, 0, 4096, 0)).toString('utf8');

  first.kill('SIGKILL');
  await exited(first); // reaped by us, its parent: the pid is free
  await sleep(30); // a different starttime tick for the successor (USER_HZ = 100)
  writeFileSync('/proc/sys/kernel/ns_last_pid', String(pid - 1));
  const second = start('pytest', '302');
  await sleep(50);

  let oldFdRead: string;
  try {
    oldFdRead = `read ${buffer.subarray(0, readSync(fd, buffer, 0, 4096, 0)).toString('utf8')}`;
  } catch (error) {
    oldFdRead = `error ${(error as { code?: string }).code}`;
  }
  const after = readProcessIdentitySync('/proc', pid);
  const rescan = await scanner.scan(matcher, []);
  scanner.dispose();
  second.kill('SIGKILL');
  const seen: Seen = {
    pid,
    secondPid: second.pid,
    before,
    after,
    beforeStarttime: starttimeOf(before),
    afterStarttime: starttimeOf(after),
    readBefore,
    oldFdRead,
    keptSample: kept.samples.find((s) => s.pid === pid) ?? null,
    rescanSample: rescan.samples.find((s) => s.pid === pid) ?? null,
  };
  console.log(JSON.stringify(seen));
}

void main();
