// Issue 11 end to end: a real `pytest -n 3` (xdist + setproctitle) orphaned by SIGKILLing its
// launcher, with a spinning test, a test holding a listening port and a sleeping test, seen
// through the bundled CLI's `scan --json` and `watch --json`, and ended by `kill --run`.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bundleCli } from '../helpers/cliBundle';
import { describeWithPytest, killSession, sessionMembers, startOrphanedRun } from '../helpers/pytestRun';
import type { OrphanedRun } from '../helpers/pytestRun';
import { childrenOf, waitUntil } from '../helpers/realProcs';

const out = resolve('test-output/xdistRun');
const cli = join(out, 'cli.js');
const repo = join(out, 'repo');
const portFile = join(out, 'port');

const TESTS = `import os, socket, time

def test_spins():
    end = time.time() + 300
    while time.time() < end:
        pass

def test_holds_port():
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", 0))
    s.listen()
    with open(os.environ["PORT_FILE"] + ".tmp", "w") as f:
        f.write(str(s.getsockname()[1]))
    os.rename(os.environ["PORT_FILE"] + ".tmp", os.environ["PORT_FILE"])
    time.sleep(300)

def test_sleeps():
    time.sleep(300)
`;

interface Holds {
  listening: { proto: string; address: string; port: number }[];
  complete: boolean;
}
interface Worker {
  pid: number;
  starttime: number;
  role: string;
  tests: string[];
  activity: string;
  cpuPercent: number | null;
  holds: Holds;
}
interface Process {
  pid: number;
  starttime: number;
  orphaned: boolean;
  activity: string;
  run: { sid: number; pgid: number; cwd: string; branch: string | null };
  workers: Worker[];
}
interface ScanJson {
  processes: Process[];
  signals: { kind: string; pid: number; starttime: number; active: boolean }[];
}

let run: OrphanedRun | null = null;

/** xdist workers titled with a running test (setproctitle), from /proc. */
function runningWorkers(rootPid: number): number {
  return childrenOf(rootPid).filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('[pytest-xdist running]');
    } catch {
      return false;
    }
  }).length;
}

function cliRun(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describeWithPytest('a real orphaned pytest -n 3 run (xdist, setproctitle)', () => {
  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(join(repo, 'tests'), { recursive: true });
    // A repository on a feature branch, written as files: the CLI must not need git either.
    mkdirSync(join(repo, '.git'), { recursive: true });
    writeFileSync(join(repo, '.git', 'HEAD'), 'ref: refs/heads/feature/merge-gate\n');
    writeFileSync(join(repo, 'tests', 'test_run.py'), TESTS);
    await bundleCli(cli);
    run = await startOrphanedRun({
      cwd: repo,
      args: ['-n', '3', '-p', 'no:cacheprovider', '-q', 'tests/test_run.py'],
      log: join(out, 'pytest.log'),
      env: { PORT_FILE: portFile },
      ready: (root) => runningWorkers(root) === 3 && existsSync(portFile),
    });
  }, 120_000);

  afterAll(() => {
    if (run !== null) killSession(run.sid);
  });

  it('watch --json: the first FIRE, on the first tick, already says which worker spins', async () => {
    const { root } = run!;
    const watch = spawn(process.execPath, [cli, 'watch', '--json', '--age-min', '0', '--interval', '60'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = createInterface({ input: watch.stdout });
      let fire: { type: string; pid: number; process?: Process } | null = null;
      for await (const line of lines) {
        const event = JSON.parse(line) as { type: string; pid: number; process?: Process };
        if (event.type === 'fire' && event.pid === root.pid) {
          fire = event;
          break;
        }
      }
      const workers = new Map(fire?.process?.workers.map((w) => [w.tests[0], w]));
      const spinner = workers.get('tests/test_run.py::test_spins');
      expect(spinner?.activity).toBe('spinning');
      expect(spinner?.cpuPercent).toBeGreaterThan(50);
      expect(workers.get('tests/test_run.py::test_sleeps')?.activity).toBe('idle');
    } finally {
      watch.kill('SIGTERM');
    }
  }, 60_000);

  it('scan --json: one signal for the root, three workers with their tests, verdicts, the port; kill --run leaves nothing', async () => {
    const { sid, root } = run!;
    const port = Number(readFileSync(portFile, 'utf8'));
    const r = cliRun('scan', '--json', '--age-min', '0');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as ScanJson;
    writeFileSync(join(out, 'scan.json'), JSON.stringify(json, null, 2));

    const ours = json.processes.filter((p) => p.run.sid === sid);
    expect(ours.map((p) => p.pid)).toEqual([root.pid]); // workers are not matches of their own
    const signals = json.signals.filter((s) => ours.some((p) => p.pid === s.pid));
    expect(signals).toHaveLength(1); // one alert for the run
    expect(signals[0]).toMatchObject({
      kind: 'proc_blocking',
      pid: root.pid,
      starttime: root.starttime,
      active: true,
    });

    const p = ours[0]!;
    expect(p.orphaned).toBe(true);
    expect(p.run).toMatchObject({ sid, pgid: sid, cwd: repo, branch: 'feature/merge-gate' });
    const byTest = new Map(p.workers.map((w) => [w.tests[0], w]));
    expect(p.workers).toHaveLength(3);
    expect(p.workers.every((w) => w.role === 'xdist-worker' && w.tests.length === 1)).toBe(true);
    const spinner = byTest.get('tests/test_run.py::test_spins');
    const holder = byTest.get('tests/test_run.py::test_holds_port');
    const sleeper = byTest.get('tests/test_run.py::test_sleeps');
    expect(spinner?.activity).toBe('spinning');
    expect(holder?.activity).toBe('idle');
    expect(sleeper?.activity).toBe('idle');
    expect(holder?.holds.listening).toContainEqual({ proto: 'tcp', address: '127.0.0.1', port });
    expect(spinner?.holds.listening).toEqual([]);

    const killed = cliRun('kill', `${root.pid}:${root.starttime}`, '--run', '--yes');
    expect(killed.stderr).toBe('');
    expect(killed.status).toBe(0);
    expect(killed.stdout).toContain(`PID ${root.pid}:${root.starttime}: sent SIGTERM`);
    for (const w of p.workers) expect(killed.stdout).toContain(`PID ${w.pid}:${w.starttime}: sent SIGTERM`);
    await waitUntil('the whole session to exit', () => sessionMembers(sid).length === 0, 20_000);
  }, 120_000);
});
