// The real kill path on real processes: orphaned fake pytests, a TERM-ignoring one, a tree, and
// a PID that is really reused (inside a private pid namespace).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { listDescendants } from '../../src/proc/descendants';
import { createKillEnv, killProcess, killTree } from '../../src/proc/kill';
import { survivorsAfterGrace } from '../../src/proc/killGrace';
import type { KillSignal } from '../../src/proc/kill';
import { DEFAULT_REAPERS, isOrphaned } from '../../src/proc/orphan';
import { readProcessIdentity } from '../../src/proc/readProcess';
import { createMatcher } from '../../src/watchdog/match';
import {
  childrenOf,
  isRunning,
  killStarted,
  RECYCLE_PID_SHELL,
  spawnOrphan,
  track,
} from '../helpers/realProcs';
import { itWith, probeUnshare } from '../helpers/privileges';

const env = createKillEnv({ matcher: createMatcher(['pytest']) });

afterEach(killStarted);
afterAll(killStarted);

describe('kill on real processes', () => {
  it('SIGTERM ends an orphaned fake pytest (double fork, exec -a pytest sleep 300)', async () => {
    const target = await spawnOrphan('exec -a pytest sleep 300');
    const id = await readProcessIdentity('/proc', target.pid);
    if (id.kind !== 'ok') throw new Error(id.kind);
    const parentComm = readFileSync(`/proc/${id.ppid}/comm`, 'utf8').trim();
    // Re-parented: onto pid 1 (whatever init is here) or a reaper/subreaper.
    expect(isOrphaned(id.ppid, parentComm, DEFAULT_REAPERS) || id.ppid === 1).toBe(true);
    expect(await killProcess(target, 'SIGTERM', env)).toEqual({ kind: 'killed', signal: 'SIGTERM' });
    expect(await survivorsAfterGrace([target], '/proc', { graceMs: 3000, pollMs: 20 })).toEqual([]);
    expect(isRunning(target.pid, target.starttime)).toBe(false);
    // Once gone, the same identity is reported as such, not signalled again.
    expect((await killProcess(target, 'SIGTERM', env)).kind).toBe('alreadyGone');
  });

  it('a process that ignores TERM survives the grace period and needs the SIGKILL step', async () => {
    const target = await spawnOrphan("trap '' TERM; exec -a pytest sleep 300");
    expect(await killProcess(target, 'SIGTERM', env)).toEqual({ kind: 'killed', signal: 'SIGTERM' });
    const survivors = await survivorsAfterGrace([target], '/proc', { graceMs: 800, pollMs: 50 });
    expect(survivors).toEqual([target]);
    expect(await killProcess(target, 'SIGKILL', env)).toEqual({ kind: 'killed', signal: 'SIGKILL' });
    expect(await survivorsAfterGrace(survivors, '/proc', { graceMs: 3000, pollMs: 20 })).toEqual([]);
  });

  it('--tree: lists the real children with their identities and ends them all', async () => {
    const target = await spawnOrphan("exec -a pytest bash -c 'sleep 301 & sleep 302 & wait'");
    for (let i = 0; i < 100 && childrenOf(target.pid).length < 2; i++)
      await new Promise((r) => setTimeout(r, 10));
    const kids = childrenOf(target.pid);
    kids.forEach(track);
    expect(kids).toHaveLength(2);
    const listed = await listDescendants('/proc', target);
    if (listed.kind !== 'ok') throw new Error(listed.kind);
    expect(listed.descendants.map((d) => d.pid).sort()).toEqual([...kids].sort());
    expect(listed.descendants.map((d) => d.argv[0]).sort()).toEqual(['sleep', 'sleep']);
    const results = await killTree(target, listed.descendants, 'SIGTERM', env);
    expect(results.map((r) => r.outcome.kind)).toEqual(['killed', 'killed', 'killed']);
    const all = [target, ...listed.descendants];
    expect(await survivorsAfterGrace(all, '/proc', { graceMs: 3000, pollMs: 20 })).toEqual([]);
  });

  it('refuses this process (the host) and its parent, even with their true identities', async () => {
    for (const pid of [process.pid, process.ppid]) {
      const id = await readProcessIdentity('/proc', pid);
      if (id.kind !== 'ok') throw new Error(id.kind);
      const outcome = await killProcess({ pid, starttime: id.starttime, argv: id.argv }, 'SIGTERM', env);
      expect(outcome).toEqual({
        kind: 'refused',
        code: 'ownProcess',
        reason: expect.stringContaining('own process'),
      });
    }
  });

  it('a wrong starttime for a live pid is pidReused and the process keeps running', async () => {
    // Simulated reuse (same pid, another starttime); the real reuse is the next test.
    const target = await spawnOrphan('exec -a pytest sleep 300');
    expect(await killProcess({ ...target, starttime: target.starttime - 1 }, 'SIGTERM', env)).toEqual({
      kind: 'pidReused',
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(isRunning(target.pid, target.starttime)).toBe(true);
  });
});

/**
 * Really recycle a pid: in a private pid namespace (unshare --pid --fork --mount-proc, as root or
 * in a user namespace of our own, root there), start a fake pytest, SIGKILL it, write pid-1 to /proc/sys/kernel/ns_last_pid and start
 * another, which gets the same pid with a later starttime. The namespace's /proc is read from
 * outside through /proc/<unshare pid>/root/proc (same mount namespace as its child).
 */
describe('real PID reuse in a private pid namespace', () => {
  const privatePidNamespace = probeUnshare();
  const script = [
    ...RECYCLE_PID_SHELL,
    'sleep 0.2; ST2=$(cut -d" " -f22 /proc/$Q/stat)',
    'echo "$P $ST $Q $ST2"',
    'read _ ; kill -9 $Q',
  ].join('\n');

  itWith(
    privatePidNamespace,
    'refuses the old identity (pidReused) and never signals; the new identity is accepted',
    async () => {
      const ns = spawn('unshare', [...privatePidNamespace.args, 'bash', '-c', script], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      try {
        const line = await new Promise<string>((resolve, reject) => {
          let buf = '';
          ns.stdout.on('data', (d: Buffer) => {
            buf += d.toString();
            if (buf.includes('\n')) resolve(buf.trim());
          });
          ns.on('exit', (code) => reject(new Error(`unshare exited ${code}: ${buf}`)));
        });
        const [p, st, q, st2] = line.split(' ').map(Number) as [number, number, number, number];
        expect(q).toBe(p); // the pid really was recycled
        expect(st2).toBeGreaterThan(st);
        const sent: Array<[number, KillSignal]> = [];
        const nsEnv = {
          ...env,
          procRoot: `/proc/${ns.pid}/root/proc`,
          signal: (pid: number, sig: KillSignal) => void sent.push([pid, sig]),
        };
        const oldTarget = { pid: p, starttime: st, argv: ['pytest', '300'] };
        expect(await killProcess(oldTarget, 'SIGTERM', nsEnv)).toEqual({ kind: 'pidReused' });
        expect(sent).toEqual([]);
        // Control: the process now holding the pid is killable under its own identity.
        expect(await killProcess({ ...oldTarget, starttime: st2 }, 'SIGTERM', nsEnv)).toEqual({
          kind: 'killed',
          signal: 'SIGTERM',
        });
        expect(sent).toEqual([[q, 'SIGTERM']]);
      } finally {
        ns.stdin.end('\n');
        ns.kill('SIGKILL');
      }
    },
  );
});
