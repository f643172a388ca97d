// Issue 13 end to end: a real test starts `python -c "while True: pass"` in its tmp_path with
// start_new_session=True, then pytest is SIGKILLed. The child spins on, re-parented to init, and
// no pattern matches it: it must be found by its cwd in the basetemp (and, when its pytest was
// seen alive earlier, by lineage), while a decoy spinner with no tie to a test stays unreported.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { DiagnosingScanner } from '../../src/proc/diagnosingScanner';
import { DEFAULT_REAPERS } from '../../src/proc/orphan';
import { identityKey } from '../../src/proc/types';
import { createMatcher } from '../../src/watchdog/match';
import { bundleCli } from '../helpers/cliBundle';
import { describeWithPytest, killSession, startOrphanedRun } from '../helpers/pytestRun';
import type { OrphanedRun } from '../helpers/pytestRun';
import { statOf, waitUntil } from '../helpers/realProcs';

const out = resolve('test-output/leftBehind');
const cli = join(out, 'cli.js');

const TEST = `import os, subprocess, sys, time

def test_spawns_a_server(tmp_path):
    child = subprocess.Popen([sys.executable, "-c", "while True: pass"], cwd=tmp_path, start_new_session=True)
    with open(os.environ["CHILD_FILE"] + ".tmp", "w") as f:
        f.write(str(child.pid))
    os.rename(os.environ["CHILD_FILE"] + ".tmp", os.environ["CHILD_FILE"])
    time.sleep(300)  # SIGKILLed here: no finally, no os.killpg
`;

interface Started {
  run: OrphanedRun;
  child: { pid: number; starttime: number };
  tmp: string;
}
const cleanup: number[] = []; // sessions (pytest's, the children's own) to kill after each test
const strays: number[] = []; // single processes (the decoy shares the test runner's session)

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

async function startRun(name: string): Promise<Started> {
  const dir = join(out, name);
  const tmp = join(dir, 'tmp');
  mkdirSync(join(dir, 'tests'), { recursive: true });
  mkdirSync(tmp, { recursive: true });
  writeFileSync(join(dir, 'tests', 'test_leak.py'), TEST);
  const childFile = join(dir, 'child');
  const run = await startOrphanedRun({
    cwd: dir,
    args: ['-p', 'no:cacheprovider', '-p', 'no:xdist', '-q', 'tests/test_leak.py'],
    log: join(dir, 'pytest.log'),
    env: { CHILD_FILE: childFile, TMPDIR: tmp },
    ready: () => existsSync(childFile),
  });
  cleanup.push(run.sid);
  const pid = Number(readFileSync(childFile, 'utf8'));
  cleanup.push(pid); // start_new_session: its session id is its pid
  const stat = statOf(pid);
  if (stat === null) throw new Error(`child ${pid} is gone`);
  return { run, child: { pid, starttime: stat.starttime }, tmp };
}

async function killPytest(s: Started): Promise<void> {
  kill(s.run.root.pid);
  await waitUntil(
    'the child to be re-parented',
    () => {
      const stat = statOf(s.child.pid);
      return stat !== null && stat.ppid !== s.run.root.pid;
    },
    10_000,
  );
}

function basetempOf(tmp: string): string {
  const of = readdirSync(tmp).find((n) => n.startsWith('pytest-of-'))!;
  return join(tmp, of, 'pytest-0');
}

describeWithPytest('processes a real pytest left behind', () => {
  beforeAll(async () => {
    rmSync(out, { recursive: true, force: true });
    mkdirSync(out, { recursive: true });
    await bundleCli(cli);
  }, 60_000);
  afterEach(() => {
    for (const sid of cleanup.splice(0)) killSession(sid);
    for (const pid of strays.splice(0)) kill(pid);
  });
  afterAll(() => rmSync(join(out, 'a', 'tmp'), { recursive: true, force: true }));

  it('scan --json: the start_new_session child of a SIGKILLed pytest is found by its cwd; the decoy is not', async () => {
    const s = await startRun('a');
    // The decoy: a spinner orphaned by a shell that exits, with no tie to any test.
    const decoy = Number(
      execFileSync(
        'bash',
        ['-c', `cd /tmp && (/usr/bin/python3 -c 'while True: pass' </dev/null >/dev/null 2>&1 & echo $!)`],
        {
          encoding: 'utf8',
        },
      ).trim(),
    );
    strays.push(decoy);
    await killPytest(s);

    const r = spawnSync(process.execPath, [cli, 'scan', '--json', '--age-min', '0'], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as {
      processes: { pid: number; starttime: number; orphaned: boolean; leftBy: unknown; activity: string }[];
      signals: { pid: number; active: boolean }[];
    };
    writeFileSync(join(out, 'scan-a.json'), JSON.stringify(json, null, 2));
    const child = json.processes.find((p) => p.pid === s.child.pid);
    expect(child).toMatchObject({
      starttime: s.child.starttime,
      orphaned: true,
      leftBy: {
        kind: 'pytest',
        evidence: 'cwd',
        basetemp: basetempOf(s.tmp),
        run: null,
        testDir: 'test_spawns_a_server0',
      },
    });
    expect(['spinning', 'busy']).toContain(child?.activity);
    expect(json.signals.find((x) => x.pid === s.child.pid)?.active).toBe(true);
    expect(json.processes.some((p) => p.pid === decoy)).toBe(false);
  }, 120_000);

  it('seen alive under its pytest in an earlier scan, the child is found by lineage', async () => {
    const s = await startRun('b');
    const scanner = new DiagnosingScanner();
    const matcher = createMatcher(['pytest']);
    try {
      const before = await scanner.scan(matcher, DEFAULT_REAPERS);
      const root = before.samples.find((x) => x.pid === s.run.root.pid);
      expect(root?.diagnosis?.workers.map((w) => w.pid)).toContain(s.child.pid);
      expect(root?.diagnosis?.workers.find((w) => w.pid === s.child.pid)?.role).toBe('setsid-child');
      expect(before.samples.some((x) => x.pid === s.child.pid)).toBe(false); // its run is alive

      await killPytest(s);
      const after = await scanner.scan(matcher, DEFAULT_REAPERS);
      const child = after.samples.find((x) => x.pid === s.child.pid);
      expect(child?.leftBy).toEqual({
        kind: 'pytest',
        evidence: 'lineage',
        basetemp: basetempOf(s.tmp),
        run: identityKey(s.run.root),
        testDir: 'test_spawns_a_server0',
      });
      expect(child?.orphaned).toBe(true);
    } finally {
      scanner.dispose();
    }
  }, 120_000);
});
