// The kill protocol on fake /proc trees with a recording signal function: what is signalled,
// what is refused, and that identity is re-read right before EACH signal.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listDescendants } from '../../../src/proc/descendants';
import { createKillEnv, killProcess, killTree } from '../../../src/proc/kill';
import { survivorsAfterGrace } from '../../../src/proc/killGrace';
import { procRootIsOwn } from '../../../src/proc/killGuards';
import type { KillEnv, KillSignal, KillTarget, SignalFn } from '../../../src/proc/kill';
import { createMatcher } from '../../../src/watchdog/match';
import { removeFakeProcess, writeFakeProcess } from '../../helpers/fakeProcTree';
import type { FakeProcess } from '../../helpers/fakeProcTree';
import { xdistRun } from '../../helpers/xdistRun';

const CONTAINER = 'a3f5c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345';
const PYTEST: FakeProcess = {
  pid: 4242,
  ppid: 1,
  comm: 'pytest',
  argv: ['/venv/bin/python', '-m', 'pytest', '-x'],
  starttime: 5000,
};
const target = (p: FakeProcess): KillTarget => ({ pid: p.pid, starttime: p.starttime, argv: p.argv });

let root: string;
let sent: Array<[number, KillSignal]>;
const recorder: SignalFn = (pid, sig) => void sent.push([pid, sig]);
const throwing =
  (code: string): SignalFn =>
  () => {
    throw Object.assign(new Error(code), { code });
  };
const env = (overrides: Partial<KillEnv> = {}): KillEnv => ({
  ...createKillEnv({
    procRoot: root,
    signal: recorder,
    matcher: createMatcher(['pytest']),
    protectedPids: async () => new Set([777, 10]),
  }),
  ...overrides,
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pw-kill-'));
  sent = [];
  writeFakeProcess(root, PYTEST);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('killProcess', () => {
  it('signals a process whose identity still matches', async () => {
    expect(await killProcess(target(PYTEST), 'SIGTERM', env())).toEqual({
      kind: 'killed',
      signal: 'SIGTERM',
    });
    expect(await killProcess(target(PYTEST), 'SIGKILL', env())).toEqual({
      kind: 'killed',
      signal: 'SIGKILL',
    });
    expect(sent).toEqual([
      [4242, 'SIGTERM'],
      [4242, 'SIGKILL'],
    ]);
  });

  it.each([
    ['a different starttime (pid reused)', { starttime: 9999 }],
    ['a different command line (pid reused, or exec)', { argv: ['vim', 'notes.txt'] }],
  ])('refuses %s as pidReused and signals nothing', async (_name, change) => {
    writeFakeProcess(root, { ...PYTEST, ...change });
    expect(await killProcess(target(PYTEST), 'SIGTERM', env())).toEqual({ kind: 'pidReused' });
    expect(sent).toEqual([]);
  });

  it('matches the pattern before the final identity re-read: an exec while matching is caught', async () => {
    // The matcher is the slow step (a command line may be megabytes); whatever happens while it
    // runs is seen by the re-read that comes after it, right before the signal.
    const order: string[] = [];
    const slowMatcher = {
      needles: ['pytest'],
      match: (argv: readonly string[]): string | null => {
        order.push('match');
        writeFakeProcess(root, { ...PYTEST, argv: ['vim', 'notes.txt'] });
        return argv.includes('pytest') ? 'pytest' : null;
      },
    };
    const outcome = await killProcess(target(PYTEST), 'SIGTERM', env({ matcher: slowMatcher }));
    expect(order).toEqual(['match']);
    expect(outcome).toEqual({ kind: 'pidReused' });
    expect(sent).toEqual([]);
  });

  it('reports a vanished process as alreadyGone', async () => {
    removeFakeProcess(root, PYTEST.pid);
    expect(await killProcess(target(PYTEST), 'SIGTERM', env())).toEqual({ kind: 'alreadyGone' });
    expect(sent).toEqual([]);
  });

  it('reports a zombie as alreadyGone', async () => {
    writeFakeProcess(root, { ...PYTEST, state: 'Z' });
    expect(await killProcess(target(PYTEST), 'SIGTERM', env())).toEqual({ kind: 'alreadyGone' });
    expect(sent).toEqual([]);
  });

  it.each([0, 1, -1, 1.5])('refuses pid %d', async (pid) => {
    const outcome = await killProcess({ ...target(PYTEST), pid }, 'SIGTERM', env());
    expect(outcome.kind).toBe('refused');
    expect(sent).toEqual([]);
  });

  it("refuses the editor's own process and its ancestors", async () => {
    writeFakeProcess(root, { ...PYTEST, pid: 777 });
    const outcome = await killProcess({ ...target(PYTEST), pid: 777 }, 'SIGTERM', env());
    expect(outcome).toEqual({
      kind: 'refused',
      code: 'ownProcess',
      reason: expect.stringContaining('own process'),
    });
    expect(sent).toEqual([]);
  });

  it('refuses a reaper even when its command line mentions pytest', async () => {
    const tini: FakeProcess = {
      pid: 50,
      ppid: 0,
      comm: 'tini',
      argv: ['tini', '--', 'pytest'],
      starttime: 10,
    };
    writeFakeProcess(root, tini);
    const outcome = await killProcess(target(tini), 'SIGTERM', env());
    expect(outcome).toEqual({ kind: 'refused', code: 'reaper', reason: expect.stringContaining('reaper') });
    const extra: FakeProcess = { ...tini, pid: 51, comm: 'myreaper', argv: ['pytest'] };
    writeFakeProcess(root, extra);
    const withExtra = {
      ...env(),
      reapers: createKillEnv({ matcher: createMatcher(['pytest']), extraReapers: ['myreaper'] }).reapers,
    };
    expect((await killProcess(target(extra), 'SIGTERM', withExtra)).kind).toBe('refused');
    expect(sent).toEqual([]);
  });

  it('refuses a process that no longer matches the configured patterns', async () => {
    const outcome = await killProcess(
      target(PYTEST),
      'SIGTERM',
      env({ matcher: createMatcher(['coverage']) }),
    );
    expect(outcome).toEqual({
      kind: 'refused',
      code: 'noMatch',
      reason: expect.stringContaining('no longer matches'),
    });
    expect(sent).toEqual([]);
  });

  it('refuses when its /proc entry cannot be parsed (cannot verify)', async () => {
    writeFileSync(join(root, '4242', 'stat'), '4242 (pytest');
    expect((await killProcess(target(PYTEST), 'SIGTERM', env())).kind).toBe('refused');
    expect(sent).toEqual([]);
  });

  it('maps ESRCH from kill() to alreadyGone', async () => {
    expect(await killProcess(target(PYTEST), 'SIGTERM', env({ signal: throwing('ESRCH') }))).toEqual({
      kind: 'alreadyGone',
    });
  });

  it('maps EPERM on the host to denied with a sudo command', async () => {
    expect(await killProcess(target(PYTEST), 'SIGTERM', env({ signal: throwing('EPERM') }))).toEqual({
      kind: 'denied',
      command: 'sudo kill -TERM 4242',
    });
    expect(await killProcess(target(PYTEST), 'SIGKILL', env({ signal: throwing('EPERM') }))).toEqual({
      kind: 'denied',
      command: 'sudo kill -KILL 4242',
    });
  });

  it('maps EPERM in a container to docker exec with the innermost NSpid', async () => {
    writeFakeProcess(root, {
      ...PYTEST,
      nspid: [4242, 88, 7],
      cgroup: `0::/system.slice/docker-${CONTAINER}.scope\n`,
    });
    expect(await killProcess(target(PYTEST), 'SIGTERM', env({ signal: throwing('EPERM') }))).toEqual({
      kind: 'denied',
      command: 'docker exec a3f5c0ffee01 kill -TERM 7',
    });
  });
});

describe('listDescendants + killTree', () => {
  const {
    workers: [worker1, worker2],
    fixture,
  } = xdistRun(PYTEST, { workers: [5001, 5002], fixture: 6001 });
  const unrelated: FakeProcess = { pid: 7001, ppid: 1, comm: 'bash', argv: ['bash'], starttime: 100 };

  beforeEach(() => [worker1, worker2, fixture, unrelated].forEach((p) => writeFakeProcess(root, p)));

  it('lists every descendant with its identity, parents first, and nothing else', async () => {
    expect(await listDescendants(root, PYTEST)).toEqual({
      kind: 'ok',
      descendants: [target(worker1), target(worker2), target(fixture)],
    });
  });

  it('says pidReused / vanished / unreadable instead of listing a wrong tree', async () => {
    expect(await listDescendants(root, { pid: 4242, starttime: 1 })).toEqual({ kind: 'pidReused' });
    expect(await listDescendants(root, { pid: 4343, starttime: 1 })).toEqual({ kind: 'vanished' });
    expect((await listDescendants(join(root, 'nope'), PYTEST)).kind).toBe('unreadable');
  });

  it('signals the root then each descendant; descendants need no pattern match', async () => {
    const listed = await listDescendants(root, PYTEST);
    if (listed.kind !== 'ok') throw new Error(listed.kind);
    const results = await killTree(target(PYTEST), listed.descendants, 'SIGTERM', env());
    expect(results.map((r) => [r.target.pid, r.outcome.kind])).toEqual([
      [4242, 'killed'],
      [5001, 'killed'],
      [5002, 'killed'],
      [6001, 'killed'],
    ]);
    expect(sent.map(([pid]) => pid)).toEqual([4242, 5001, 5002, 6001]);
  });

  it('re-verifies each descendant right before its own signal (pid reused mid-tree)', async () => {
    const listed = await listDescendants(root, PYTEST);
    if (listed.kind !== 'ok') throw new Error(listed.kind);
    // When the root is signalled, worker 5002 exits and its pid is taken by an unrelated process.
    const reuseOnRoot: SignalFn = (pid, sig) => {
      sent.push([pid, sig]);
      if (pid === 4242)
        writeFakeProcess(root, { pid: 5002, ppid: 1, comm: 'sshd', argv: ['sshd'], starttime: 9000 });
    };
    const results = await killTree(
      target(PYTEST),
      listed.descendants,
      'SIGTERM',
      env({ signal: reuseOnRoot }),
    );
    expect(results.find((r) => r.target.pid === 5002)?.outcome).toEqual({ kind: 'pidReused' });
    expect(sent.map(([pid]) => pid)).toEqual([4242, 5001, 6001]);
  });

  it('signals no descendant when the root itself was reused', async () => {
    writeFakeProcess(root, { ...PYTEST, starttime: 9999 });
    const results = await killTree(target(PYTEST), [target(worker1)], 'SIGTERM', env());
    expect(results.map((r) => r.outcome.kind)).toEqual(['pidReused']);
    expect(sent).toEqual([]);
  });
});

describe('survivorsAfterGrace', () => {
  it('returns early once every target is gone (or its pid reused)', async () => {
    const other: FakeProcess = { ...PYTEST, pid: 4243 };
    writeFakeProcess(root, other);
    let now = 0;
    let polls = 0;
    const sleep = async (ms: number): Promise<void> => {
      now += ms;
      polls++;
      if (polls === 2) removeFakeProcess(root, PYTEST.pid);
      if (polls === 3) writeFakeProcess(root, { ...other, starttime: 8888 });
    };
    const survivors = await survivorsAfterGrace([target(PYTEST), target(other)], root, {
      graceMs: 5000,
      pollMs: 100,
      sleep,
      nowMs: () => now,
    });
    expect(survivors).toEqual([]);
    expect(now).toBe(300);
  });

  it('returns the processes still running with the same identity after the grace period', async () => {
    let now = 0;
    const sleep = async (ms: number): Promise<void> => void (now += ms);
    const survivors = await survivorsAfterGrace([target(PYTEST)], root, {
      graceMs: 5000,
      pollMs: 100,
      sleep,
      nowMs: () => now,
    });
    expect(survivors).toEqual([target(PYTEST)]);
    expect(now).toBe(5000);
  });
});

describe('a proc root of another pid namespace', () => {
  it('is told apart from our own: /proc is ours, a fake tree is not', async () => {
    expect(await procRootIsOwn('/proc')).toBe(true);
    expect(await procRootIsOwn(root)).toBe(false);
    // Real signalling (no injected signal function) checks it; an injected one acts on the tree itself.
    expect(createKillEnv({ procRoot: root, matcher: createMatcher(['pytest']) }).procRootIsOwn).toBeDefined();
    expect(env().procRootIsOwn).toBeUndefined();
  });

  it('refuses to signal a pid verified under a foreign proc root, and signals nothing', async () => {
    const outcome = await killProcess(target(PYTEST), 'SIGTERM', env({ procRootIsOwn: async () => false }));
    expect(outcome).toMatchObject({
      kind: 'refused',
      code: 'foreignNamespace',
      reason: expect.stringContaining('another PID namespace'),
    });
    expect(sent).toEqual([]);
  });
});
