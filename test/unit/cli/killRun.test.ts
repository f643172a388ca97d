// `proc-watchdog kill --run` over a fake /proc: the whole run (descendants and the leaderless
// session), each identity-checked, SIGCONT to a stopped one after SIGTERM, nothing unrelated.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KILL_EXIT, killCommand } from '../../../src/cli/kill';
import type { KillIo } from '../../../src/cli/kill';
import type { KillSignal, SignalFn } from '../../../src/proc/kill';
import { removeFakeProcess, writeFakeProcess } from '../../helpers/fakeProcTree';
import type { FakeProcess } from '../../helpers/fakeProcTree';

// The launcher (session leader 50) was SIGKILLed: its pytest, workers and a `tail` it started
// live on in session 50; 4301 is a stopped worker (SIGTERM acts only after SIGCONT).
const run: FakeProcess[] = [
  { pid: 4242, ppid: 1, comm: 'pytest', argv: ['pytest', '-n', '2'], starttime: 5000, sid: 50, pgid: 50 },
  { pid: 4300, ppid: 4242, comm: 'python', argv: ['python', '-c', 'w'], starttime: 5005, sid: 50, pgid: 50 },
  {
    pid: 4301,
    ppid: 4242,
    comm: 'python',
    argv: ['python', '-c', 'w'],
    starttime: 5006,
    sid: 50,
    pgid: 50,
    state: 'T',
  },
  { pid: 4400, ppid: 1, comm: 'tail', argv: ['tail', '-f', 'log'], starttime: 4990, sid: 50, pgid: 50 },
  { pid: 7000, ppid: 1, comm: 'sleep', argv: ['sleep', '9'], starttime: 4000, sid: 70, pgid: 70 },
];

let root: string;
let sent: Array<[number, KillSignal]>;
const out: string[] = [];
const err: string[] = [];
const io: KillIo = {
  stdout: (l) => void out.push(l),
  stderr: (l) => void err.push(l),
  interactive: false,
  prompt: async () => null,
};

/** A kernel for the fake tree: TERM ends a running process; a stopped one only once continued. */
const kernel: SignalFn = (pid, sig) => {
  sent.push([pid, sig]);
  const stopped = run.find((p) => p.pid === pid)?.state === 'T';
  if (sig === 'SIGKILL' || (sig === 'SIGTERM' && !stopped) || (sig === 'SIGCONT' && stopped))
    removeFakeProcess(root, pid);
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pw-killrun-'));
  sent = [];
  out.length = 0;
  err.length = 0;
  for (const p of run) writeFakeProcess(root, p);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('kill --run', () => {
  it('signals the root, its descendants and its leaderless session; SIGCONT to the stopped one; nothing else', async () => {
    const code = await killCommand(
      ['4242:5000', '--run', '--yes', '--proc-root', root, '--grace-seconds', '0.3'],
      io,
      {
        signal: kernel,
        protectedPids: async () => new Set(),
      },
    );
    expect(err).toEqual([]);
    expect(code).toBe(KILL_EXIT.done);
    expect(sent).toEqual([
      [4242, 'SIGTERM'],
      [4300, 'SIGTERM'],
      [4301, 'SIGTERM'],
      [4400, 'SIGTERM'],
      [4301, 'SIGCONT'],
    ]);
    expect(out).toContain('PID 4301:5006: sent SIGCONT');
  });

  it('a live session leader outside the run (a login shell) keeps its session out', async () => {
    writeFakeProcess(root, {
      pid: 50,
      ppid: 1,
      comm: 'bash',
      argv: ['bash'],
      starttime: 100,
      sid: 50,
      pgid: 50,
    });
    await killCommand(['4242:5000', '--run', '--yes', '--proc-root', root, '--grace-seconds', '0.3'], io, {
      signal: kernel,
      protectedPids: async () => new Set(),
    });
    expect(sent.map(([pid]) => pid)).toEqual([4242, 4300, 4301, 4301]);
  });
});
