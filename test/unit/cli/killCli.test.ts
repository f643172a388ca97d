// `proc-watchdog kill` over a fake /proc tree with a recording signal function and a fake
// terminal: arguments, confirmation, exit codes, and the SIGKILL step for survivors only.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KILL_EXIT, killCommand } from '../../../src/cli/kill';
import { parseKillArgs } from '../../../src/cli/killArgs';
import type { KillIo } from '../../../src/cli/kill';
import type { KillSignal, SignalFn } from '../../../src/proc/kill';
import { removeFakeProcess, writeFakeProcess } from '../../helpers/fakeProcTree';
import type { FakeProcess } from '../../helpers/fakeProcTree';
import { xdistRun } from '../../helpers/xdistRun';

const PYTEST: FakeProcess = {
  pid: 4242,
  ppid: 1,
  comm: 'pytest',
  argv: ['pytest', 'tests/'],
  starttime: 5000,
};
const RUN = xdistRun(PYTEST, { workers: [4300] });

let root: string;
let sent: Array<[number, KillSignal]>;
let out: string[];
let err: string[];

/** Signal seam that "kills" fake processes: TERM-ignoring pids survive SIGTERM. */
const fakeKernel =
  (ignoresTerm: ReadonlySet<number> = new Set()): SignalFn =>
  (pid, sig) => {
    sent.push([pid, sig]);
    if (sig === 'SIGKILL' || !ignoresTerm.has(pid)) removeFakeProcess(root, pid);
  };

const terminal = (answers: Array<string | null> | null): KillIo => ({
  stdout: (l) => void out.push(l),
  stderr: (l) => void err.push(l),
  interactive: answers !== null,
  prompt: async (q) => {
    out.push(q);
    return answers?.shift() ?? null;
  },
});

const run = (args: string[], io: KillIo, signal: SignalFn = fakeKernel()): Promise<number> =>
  killCommand([...args, '--proc-root', root, '--grace-seconds', '0.3'], io, {
    signal,
    protectedPids: async () => new Set(),
  });

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pw-killcli-'));
  sent = [];
  out = [];
  err = [];
  for (const p of RUN.all) writeFakeProcess(root, p);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('parseKillArgs', () => {
  it.each([
    [[]],
    [['4242']],
    [['4242:']],
    [['abc:1']],
    [['4242:5000', '4243:1']],
    [['4242:5000', '--signal', 'HUP']],
    [['4242:5000', '--signal']],
    [['4242:5000', '--grace-seconds', '-1']],
    [['4242:5000', '--frobnicate']],
  ])('rejects %j', (args) => {
    expect(typeof parseKillArgs(args)).toBe('string');
  });
  it('accepts the documented flags', () => {
    expect(
      parseKillArgs(['4242:5000', '--tree', '--signal', 'kill', '-y', '--proc-root', '/p']),
    ).toMatchObject({
      pid: 4242,
      starttime: 5000,
      tree: true,
      signal: 'SIGKILL',
      yes: true,
      procRoot: '/p',
      patterns: ['pytest'],
    });
  });
});

describe('killCommand', () => {
  it.each([
    ['0:1'],
    ['99999999999999999999:1'],
    ['4294967297:5'],
    ['4194305:5'],
    ['4242:99999999999999999999'],
    ['-5:1'],
    ['4242.5:1'],
    ['4242:1e3'],
    ['0x10:1'],
    [' 4242:5000'],
  ])('a bad target %j exits 2 and signals nothing', async (identity) => {
    expect(await run([identity, '--yes'], terminal(null))).toBe(KILL_EXIT.badArgs);
    expect(err).toHaveLength(1);
    expect(sent).toEqual([]);
  });

  it("a pid above the proc root's pid_max exits 2", async () => {
    mkdirSync(join(root, 'sys', 'kernel'), { recursive: true });
    writeFileSync(join(root, 'sys', 'kernel', 'pid_max'), '4096\n');
    expect(await run(['4242:5000', '--yes'], terminal(null))).toBe(KILL_EXIT.badArgs);
    expect(err.join('\n')).toMatch(/pid_max \(4096\)/);
    expect(sent).toEqual([]);
  });

  it('a tree kill whose root is signalled but a descendant refused: the root decides, the refusal is reported', async () => {
    // The worker turns out to be this process's own ancestor: refused, while the root is signalled.
    const code = await killCommand(
      ['4242:5000', '--tree', '--yes', '--proc-root', root, '--grace-seconds', '0.3'],
      terminal(null),
      { signal: fakeKernel(), protectedPids: async () => new Set([4300]) },
    );
    expect(code).toBe(KILL_EXIT.done);
    expect(sent).toEqual([[4242, 'SIGTERM']]);
    expect(err.join('\n')).toMatch(/PID 4300:5010: refused/);
    expect(err.join('\n')).toMatch(/1 of 1 descendant\(s\) not signalled: 4300/);
  });

  it('a tree kill whose root is refused exits 3 even when nothing else was tried', async () => {
    const code = await killCommand(
      ['4242:5000', '--tree', '--yes', '--proc-root', root, '--grace-seconds', '0.3'],
      terminal(null),
      { signal: fakeKernel(), protectedPids: async () => new Set([4242]) },
    );
    expect(code).toBe(KILL_EXIT.refused);
    expect(sent).toEqual([]);
  });

  it('the prompt shows the command line sanitized: no escape sequence reaches the terminal', async () => {
    writeFakeProcess(root, { ...PYTEST, argv: ['pytest', '\u001b]0;pwned\u0007', '\u001b[2J', '\u202e'] });
    await run(['4242:5000'], terminal(['n']));
    const shown = [...out, ...err].join('\n');
    // eslint-disable-next-line no-control-regex -- the characters that must not reach a terminal
    expect(shown).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    expect(shown).toContain('\\x1B]0;pwned\\x07');
  });

  it('exits 2 with one line on bad arguments, signalling nothing', async () => {
    expect(await run(['4242'], terminal(null))).toBe(KILL_EXIT.badArgs);
    expect(err).toHaveLength(1);
    expect(sent).toEqual([]);
  });

  it('kills with --yes and exits 0', async () => {
    expect(await run(['4242:5000', '--yes'], terminal(null))).toBe(KILL_EXIT.done);
    expect(sent).toEqual([[4242, 'SIGTERM']]);
  });

  it('refuses a wrong starttime with exit 3 and leaves the process alone', async () => {
    expect(await run(['4242:4999', '--yes'], terminal(null))).toBe(KILL_EXIT.refused);
    expect(err.join('\n')).toMatch(/pid reused/);
    expect(sent).toEqual([]);
  });

  it('refuses without --yes when there is no terminal (exit 3)', async () => {
    expect(await run(['4242:5000'], terminal(null))).toBe(KILL_EXIT.refused);
    expect(err.join('\n')).toMatch(/--yes/);
    expect(sent).toEqual([]);
  });

  it('asks on a terminal: "n" signals nothing, "y" signals', async () => {
    expect(await run(['4242:5000'], terminal(['n']))).toBe(KILL_EXIT.refused);
    expect(sent).toEqual([]);
    expect(await run(['4242:5000'], terminal(['y']))).toBe(KILL_EXIT.done);
    expect(sent).toEqual([[4242, 'SIGTERM']]);
  });

  it('--tree signals the root and its descendants', async () => {
    expect(await run(['4242:5000', '--tree', '--yes'], terminal(null))).toBe(KILL_EXIT.done);
    expect(sent).toEqual([
      [4242, 'SIGTERM'],
      [4300, 'SIGTERM'],
    ]);
  });

  it('a process that ignores TERM: exit 1 with --yes alone; --escalate sends SIGKILL to the survivor only', async () => {
    const kernel = fakeKernel(new Set([4300]));
    expect(await run(['4242:5000', '--tree', '--yes'], terminal(null), kernel)).toBe(KILL_EXIT.survivors);
    expect(out.join('\n')).toMatch(/still running .*4300/);
    writeFakeProcess(root, PYTEST);
    sent = [];
    expect(await run(['4242:5000', '--tree', '--yes', '--escalate'], terminal(null), kernel)).toBe(
      KILL_EXIT.done,
    );
    expect(sent).toEqual([
      [4242, 'SIGTERM'],
      [4300, 'SIGTERM'],
      [4300, 'SIGKILL'],
    ]);
  });

  it('on a terminal, SIGKILL is asked for separately', async () => {
    const kernel = fakeKernel(new Set([4242]));
    expect(await run(['4242:5000'], terminal(['y', 'n']), kernel)).toBe(KILL_EXIT.survivors);
    expect(sent).toEqual([[4242, 'SIGTERM']]);
    sent = [];
    expect(await run(['4242:5000'], terminal(['y', 'y']), kernel)).toBe(KILL_EXIT.done);
    expect(sent).toEqual([
      [4242, 'SIGTERM'],
      [4242, 'SIGKILL'],
    ]);
  });

  it('exits 4 and prints the command to run on EPERM', async () => {
    const eperm: SignalFn = () => {
      throw Object.assign(new Error('EPERM'), { code: 'EPERM' });
    };
    expect(await run(['4242:5000', '--yes'], terminal(null), eperm)).toBe(KILL_EXIT.denied);
    expect(err.join('\n')).toContain('sudo kill -TERM 4242');
  });

  it('exits 0 for a process that is already gone', async () => {
    removeFakeProcess(root, 4242);
    expect(await run(['4242:5000', '--yes'], terminal(null))).toBe(KILL_EXIT.done);
    expect(sent).toEqual([]);
  });

  it('refuses (exit 3) a process that does not match the patterns', async () => {
    expect(await run(['4242:5000', '--yes', '--pattern', 'coverage'], terminal(null))).toBe(
      KILL_EXIT.refused,
    );
    expect(sent).toEqual([]);
  });
});
