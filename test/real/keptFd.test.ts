// The facts the fd cache relies on, checked on the real /proc: a kept cmdline fd reads the
// task's current command line (also after exec), and fails with ESRCH once the task is reaped.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, openSync, readSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { ProcScanner } from '../../src/proc/reader';
import type { ArgvMatcher } from '../../src/proc/types';
import { waitFor } from '../helpers/realProcs';

const TAG = `kept-fd-${process.pid}`;
const ARGV0 = `sleeper-${TAG}`;
// Matches the exec'd sleeper only, not the bash whose -c script mentions the same name.
const matcher: ArgvMatcher = { needles: [TAG], match: (argv) => (argv[0] === ARGV0 ? 'tagged' : null) };

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});

function readAt0(fd: number): string {
  const buffer = Buffer.alloc(4096);
  return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
}

describe('kept /proc/<pid>/cmdline fds', () => {
  it('read the new command line after exec, and ESRCH after the task is reaped', async () => {
    // bash waits for a line on stdin, then execs into `sleep 300` named ARGV0.
    const child = spawn('bash', ['-c', `read x; exec -a ${ARGV0} sleep 300`], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(child);
    const fd = openSync(`/proc/${child.pid}/cmdline`, 'r');
    try {
      expect(readAt0(fd)).toContain('read x');
      child.stdin.write('go\n');
      expect(await waitFor(() => readAt0(fd).startsWith(ARGV0), 5000)).toBe(true);
      expect(readAt0(fd)).toBe(`${ARGV0}\u0000300\u0000`);

      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited; // Node reaps its child
      expect(() => readAt0(fd)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
    } finally {
      closeSync(fd);
    }
  });

  it('the scanner sees an exec through its kept fd, and nothing once the process is gone', async () => {
    const child = spawn('bash', ['-c', `read x; exec -a ${ARGV0} sleep 300`], {
      stdio: ['pipe', 'ignore', 'ignore'],
    });
    children.push(child);
    const scanner = new ProcScanner({ maxCachedFds: 4096 });
    try {
      await scanner.scan(matcher, []); // cold: fds kept from the first scan on
      await scanner.scan(matcher, []); // steady
      for (let i = 0; i < 5; i++) await scanner.scan(matcher, []);
      // Other tenants' processes come and go, so only "some fds are kept" is stable here.
      expect(scanner.cachedFds).toBeGreaterThan(0);
      expect((await scanner.scan(matcher, [])).samples).toHaveLength(0);

      child.stdin.write('go\n');
      let seen = await scanner.scan(matcher, []);
      for (let i = 0; i < 100 && seen.samples.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        seen = await scanner.scan(matcher, []);
      }
      expect(seen.samples.map((s) => [s.pid, s.argv])).toEqual([[child.pid, [ARGV0, '300']]]);

      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
      const after = await scanner.scan(matcher, []);
      expect(after.samples).toHaveLength(0);
    } finally {
      scanner.dispose();
    }
    expect(scanner.cachedFds).toBe(0);
  });
});
