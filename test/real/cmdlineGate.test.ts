// The reader's gate on the real /proc (src/proc/scanEntry.ts): a kept task's cmdline is read
// again only once its schedstat moved, and every CMDLINE_REFRESH_SCANS scans anyway. A real
// Python process retitles itself with setproctitle while the scanner keeps it: from its main
// thread (seen on the next scan), and from another thread while the main one sleeps (what the
// schedstat of the main thread cannot show: seen by the refresh, within 16 scans).
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterEach, expect, it } from 'vitest';
import { ProcScanner } from '../../src/proc/reader';
import { CMDLINE_REFRESH_SCANS } from '../../src/proc/scanEntry';
import type { ArgvMatcher } from '../../src/proc/types';
import { describeWithPytest } from '../helpers/pytestRun';
import { waitUntil } from '../helpers/realProcs';

const TITLE = `pytest-retitled-${process.pid}`;
const matcher: ArgvMatcher = { needles: [TITLE], match: (argv) => (argv[0] === TITLE ? 'tagged' : null) };

// Waits for a line on stdin, retitles, sleeps; `thread`: all of it in a second thread while the
// main thread blocks on an Event (a futex: it does not run).
const SCRIPT = `
import sys, threading, time, setproctitle
def work():
    sys.stdin.readline()
    setproctitle.setproctitle(${JSON.stringify(TITLE)})
    time.sleep(300)
if sys.argv[1] == 'thread':
    threading.Thread(target=work, daemon=True).start()
    threading.Event().wait()
else:
    work()
`;

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

const cmdlineOf = (pid: number): string => readFileSync(`/proc/${pid}/cmdline`, 'utf8');

/** Starts the script, lets the scanner keep it, retitles it; the scans until it matched. */
async function scansToSee(mode: 'main' | 'thread'): Promise<number> {
  const child = spawn('/usr/bin/python3', ['-c', SCRIPT, mode], { stdio: ['pipe', 'ignore', 'ignore'] });
  children.push(child);
  const pid = child.pid!;
  await waitUntil('python started', () => cmdlineOf(pid).includes('setproctitle'), 10_000);
  const scanner = new ProcScanner({ maxCachedFds: 4096 });
  try {
    // Kept and gated from the second scan on; give the interpreter time to settle into its wait.
    for (let i = 0; i < 3; i++) await scanner.scan(matcher, []);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (let i = 0; i < 2; i++) expect((await scanner.scan(matcher, [])).samples).toHaveLength(0);
    child.stdin.write('go\n');
    await waitUntil('the new title', () => cmdlineOf(pid).startsWith(TITLE), 10_000);
    for (let scans = 1; scans <= 2 * CMDLINE_REFRESH_SCANS; scans++) {
      const seen = await scanner.scan(matcher, []);
      if (seen.samples.some((s) => s.pid === pid)) return scans;
    }
    return Infinity;
  } finally {
    scanner.dispose();
  }
}

describeWithPytest('the cmdline gate on the real /proc (setproctitle)', () => {
  it('a title set by the main thread is seen on the next scan', async () => {
    expect(await scansToSee('main')).toBe(1);
  });

  it('a title set by another thread while the main one sleeps is seen within the refresh', async () => {
    const scans = await scansToSee('thread');
    console.log(`cmdline gate: a title set by a second thread was seen after ${scans} scan(s)`);
    expect(scans).toBeLessThanOrEqual(CMDLINE_REFRESH_SCANS);
  });
});
