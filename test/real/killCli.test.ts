// `proc-watchdog kill` as a user runs it: the bundled CLI (built privately from src/cli.ts, as
// dist/cli.js is) against real orphaned fake pytests, with its exit codes. The bundle lives in a
// world-readable temp folder, not in the checkout: the EPERM test runs it as uid 65534, which
// cannot read a clone in a 0700 folder (issue 7).
import { spawnSync } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  childrenOf,
  isRunning,
  killStarted,
  RECYCLE_PID_SHELL,
  spawnOrphan,
  track,
} from '../helpers/realProcs';
import { bundleCliForAnyUser } from '../helpers/cliBundle';
import { itWith, probeSetpriv, probeUnshare } from '../helpers/privileges';

const asNobody = probeSetpriv();
const privatePidNamespace = probeUnshare();
let cli = '';
let removeBundle = (): void => {};
const kill = (...args: string[]): { status: number | null; stdout: string; stderr: string } =>
  spawnSync(process.execPath, [cli, 'kill', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 15_000,
  });

beforeAll(async () => {
  ({ cli, remove: removeBundle } = await bundleCliForAnyUser());
}, 60_000);
afterEach(killStarted);
afterAll(() => removeBundle());

describe('proc-watchdog kill (real processes)', () => {
  it('exit 0: kills an orphaned fake pytest named by pid:starttime', async () => {
    const t = await spawnOrphan('exec -a pytest sleep 300');
    const r = kill(`${t.pid}:${t.starttime}`, '--yes');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`PID ${t.pid}:${t.starttime}: sent SIGTERM`);
    expect(isRunning(t.pid, t.starttime)).toBe(false);
  });

  it('exit 3: a wrong starttime is refused and the process keeps running', async () => {
    const t = await spawnOrphan('exec -a pytest sleep 300');
    const r = kill(`${t.pid}:${t.starttime + 1}`, '--yes');
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/pid reused/);
    expect(isRunning(t.pid, t.starttime)).toBe(true);
  });

  it('exit 3: without --yes and without a terminal nothing is signalled', async () => {
    const t = await spawnOrphan('exec -a pytest sleep 300');
    const r = kill(`${t.pid}:${t.starttime}`);
    expect(r.status).toBe(3);
    expect(r.stderr).toMatch(/--yes/);
    expect(isRunning(t.pid, t.starttime)).toBe(true);
  });

  it.each([[['4242']], [['1:1', '--signal', 'HUP']], [[]]])('exit 2 with one line: %j', (args) => {
    const r = kill(...args);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('exit 1 then 0: a TERM-ignoring process outlives the grace period; --escalate SIGKILLs it', async () => {
    const t = await spawnOrphan("trap '' TERM; exec -a pytest sleep 300");
    const first = kill(`${t.pid}:${t.starttime}`, '--yes', '--grace-seconds', '0.5');
    expect(first.status).toBe(1);
    expect(first.stdout).toMatch(/still running/);
    expect(isRunning(t.pid, t.starttime)).toBe(true);
    const second = kill(`${t.pid}:${t.starttime}`, '--yes', '--escalate', '--grace-seconds', '0.5');
    expect(second.status).toBe(0);
    expect(second.stdout).toContain('sent SIGKILL');
    expect(isRunning(t.pid, t.starttime)).toBe(false);
  });

  it('--tree: the root and its children are gone (exit 0)', async () => {
    const t = await spawnOrphan("exec -a pytest bash -c 'sleep 301 & sleep 302 & wait'");
    for (let i = 0; i < 100 && childrenOf(t.pid).length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    const kids = childrenOf(t.pid);
    kids.forEach(track);
    expect(kids).toHaveLength(2);
    const r = kill(`${t.pid}:${t.starttime}`, '--tree', '--yes');
    expect(r.status).toBe(0);
    for (const k of kids) expect(r.stdout).toMatch(new RegExp(`PID ${k}:\\d+: sent SIGTERM`));
    await new Promise((res) => setTimeout(res, 300));
    for (const k of kids) expect(childrenOf(t.pid)).not.toContain(k);
    expect(isRunning(t.pid, t.starttime)).toBe(false);
  });

  itWith(
    asNobody,
    'exit 4 on a real EPERM (run as nobody against a root process), with the sudo command to use',
    async () => {
      const t = await spawnOrphan('exec -a pytest sleep 300');
      const r = spawnSync(
        'setpriv',
        [
          '--reuid',
          '65534',
          '--regid',
          '65534',
          '--clear-groups',
          process.execPath,
          cli,
          'kill',
          `${t.pid}:${t.starttime}`,
          '--yes',
        ],
        { encoding: 'utf8', timeout: 15_000 },
      );
      expect(r.status, r.stderr).toBe(4);
      expect(r.stderr).toContain(`permission denied; run: sudo kill -TERM ${t.pid}`);
      expect(isRunning(t.pid, t.starttime)).toBe(true);
    },
  );

  itWith(
    privatePidNamespace,
    'exit 3 on a REAL reused pid (private pid namespace), and the new process is left alone',
    () => {
      const script = [
        ...RECYCLE_PID_SHELL,
        'sleep 0.2',
        `"${process.execPath}" "${cli}" kill $P:$ST --yes 2>&1; RC=$?`,
        'kill -0 $Q 2>/dev/null && ALIVE=yes || ALIVE=no',
        'echo "P=$P Q=$Q RC=$RC ALIVE=$ALIVE"',
        'kill -9 $Q',
      ].join('\n');
      const r = spawnSync('unshare', [...privatePidNamespace.args, 'bash', '-c', script], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      const m = /P=(\d+) Q=(\d+) RC=(\d+) ALIVE=(\w+)/.exec(r.stdout);
      expect(m, r.stdout + r.stderr).not.toBeNull();
      const [, p, q, rc, alive] = m!;
      expect(q).toBe(p); // really the same pid
      expect(rc).toBe('3');
      expect(r.stdout).toMatch(/pid reused/);
      expect(alive).toBe('yes');
    },
  );
});
