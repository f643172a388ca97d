// Processes left behind by tests on a fake /proc (issue 13): each kind of evidence, a subreaper's
// orphans, unreadable cwd/fd (no evidence, no error), the decoy ignored, decisions remembered
// (no second fd scan), lineage across scans and across a restart, and the switch.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiagnosingScanner } from '../../../src/proc/diagnosingScanner';
import type { DiagnosingScannerOptions } from '../../../src/proc/diagnosingScanner';
import { DEFAULT_REAPERS } from '../../../src/proc/orphan';
import type { ScanResult } from '../../../src/proc/types';
import { createMatcher } from '../../../src/watchdog/match';
import { recordingFs } from '../../helpers/recordingFs';
import {
  removeFakeProcess,
  spinnerOrphan as orphan,
  writeDiagProcess,
  writeInit as writeInitAt,
  writeUptime,
} from '../../helpers/fakeProcTree';
import type { DiagProcess } from '../../helpers/fakeProcTree';

const BT = '/tmp/pytest-of-dev/pytest-7';
let root: string;

const writeInit = (children: readonly number[]): void => writeInitAt(root, children);

function writeBootId(id: string): void {
  mkdirSync(join(root, 'sys/kernel/random'), { recursive: true });
  writeFileSync(join(root, 'sys/kernel/random/boot_id'), `${id}\n`);
}

async function scan(scanner: DiagnosingScanner, testChildren = true): Promise<ScanResult> {
  const result = await scanner.scan(createMatcher(['pytest']), DEFAULT_REAPERS, { testChildren });
  expect(result.ok).toBe(true);
  return result;
}

const leftBy = (r: ScanResult) =>
  Object.fromEntries(r.samples.filter((s) => s.leftBy !== undefined).map((s) => [s.pid, s.leftBy]));

function scanner(options: Partial<DiagnosingScannerOptions> = {}): DiagnosingScanner {
  return new DiagnosingScanner({ procRoot: root, maxCachedFds: 0, ...options });
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'left-fixture-'));
  writeUptime(root, 10_000);
  writeBootId('boot-a');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('processes left behind by tests', () => {
  it('finds each kind of evidence, ignores the decoy and unreadable ones, follows a subreaper', async () => {
    writeInit([200, 300, 400, 500, 600, 950]);
    writeDiagProcess(
      root,
      orphan(200, { argv: ['python3', 'divergent.py'], cwd: `${BT}/test_spawns_a_server0` }),
    );
    writeDiagProcess(root, orphan(300, { argv: ['python3', `${BT}/test_x0/sleepy.py`] }));
    writeDiagProcess(root, orphan(400, { fds: { 3: '/tmp/pytest-of-dev/pytest-8/test_log0/out.log' } }));
    writeDiagProcess(root, orphan(500, { cwd: '/tmp' })); // the decoy: spins, no tie to a test
    writeDiagProcess(root, orphan(600, { cwd: `${BT}/test_hidden0` })); // unreadable below
    writeDiagProcess(
      root,
      orphan(950, { comm: 'systemd', argv: ['/lib/systemd/systemd', '--user'], children: [960] }),
    );
    writeDiagProcess(root, orphan(960, { ppid: 950, cwd: `${BT}/test_user0/sub` }));
    const fs = recordingFs({ '/600/cwd': 'EACCES', '/600/fd': 'EACCES' });
    const s = scanner({ fs });
    const result = await scan(s);
    s.dispose();
    expect(leftBy(result)).toEqual({
      200: { kind: 'pytest', evidence: 'cwd', basetemp: BT, run: null, testDir: 'test_spawns_a_server0' },
      300: { kind: 'pytest', evidence: 'argv', basetemp: BT, run: null, testDir: 'test_x0' },
      400: {
        kind: 'pytest',
        evidence: 'fd',
        basetemp: '/tmp/pytest-of-dev/pytest-8',
        run: null,
        testDir: 'test_log0',
      },
      960: { kind: 'pytest', evidence: 'cwd', basetemp: BT, run: null, testDir: 'test_user0' },
    });
    const p960 = result.samples.find((x) => x.pid === 960)!;
    expect(p960).toMatchObject({ orphaned: true, parent: { pid: 950, comm: 'systemd' }, pattern: 'pytest' });
    expect(p960.diagnosis?.run.cwd).toBe(`${BT}/test_user0/sub`);
    expect(result.stats.matched).toBe(0); // not matches: evidence, reported alongside
  });

  it('decides each orphan once: no second fd scan of the decoy, cwd evidence kept without re-reading fds', async () => {
    writeInit([200, 500]);
    writeDiagProcess(root, orphan(200, { cwd: `${BT}/test_a0` }));
    writeDiagProcess(root, orphan(500, { cwd: '/tmp' }));
    const fs = recordingFs();
    const s = scanner({ fs });
    await scan(s);
    const second = await scan(s);
    s.dispose();
    // The decoy's fds were listed once, in the first scan.
    expect(fs.touched.filter((p) => p.endsWith('/500/fd/'))).toHaveLength(1);
    expect(fs.count('/500/cwd')).toBe(1);
    expect(Object.keys(leftBy(second))).toEqual(['200']);
  });

  it('a --basetemp of a matched run counts as a basetemp', async () => {
    writeInit([700, 800]);
    writeDiagProcess(root, orphan(800, { argv: ['pytest', '--basetemp=/work/bt', 'tests'], comm: 'pytest' }));
    writeDiagProcess(root, orphan(700, { cwd: '/work/bt/test_a0' }));
    const s = scanner();
    const result = await scan(s);
    s.dispose();
    expect(leftBy(result)).toEqual({
      700: { kind: 'pytest', evidence: 'cwd', basetemp: '/work/bt', run: null, testDir: 'test_a0' },
    });
  });

  it('lineage: a descendant seen under its pytest is found after the run dies, orphaned or not, and after a restart', async () => {
    writeInit([900]);
    const pytest: DiagProcess = orphan(900, {
      comm: 'pytest',
      argv: ['pytest', 'tests'],
      children: [901, 902],
    });
    writeDiagProcess(root, pytest);
    writeDiagProcess(root, orphan(901, { ppid: 900 })); // cwd '/': nothing but lineage ties it
    writeDiagProcess(root, orphan(902, { ppid: 900, cwd: `${BT}/test_srv0` }));
    const s = scanner();
    const first = await scan(s);
    expect(leftBy(first)).toEqual({}); // its run is alive: a worker, not left behind
    expect(first.samples[0]!.diagnosis?.workers.map((w) => w.pid)).toEqual([901, 902]);

    removeFakeProcess(root, 900); // pytest SIGKILLed
    writeInit([901]); // 901 re-parented onto init; 902 onto a shell (not a reaper)
    writeDiagProcess(root, orphan(901, {}));
    writeDiagProcess(root, orphan(902, { ppid: 42, cwd: `${BT}/test_srv0` }));
    writeDiagProcess(root, { pid: 42, ppid: 1, comm: 'bash', argv: ['bash'], starttime: 10 });
    const second = await scan(s);
    const run = `900:${500_900}`;
    expect(leftBy(second)).toEqual({
      901: { kind: 'pytest', evidence: 'lineage', basetemp: null, run, testDir: null },
      902: { kind: 'pytest', evidence: 'lineage', basetemp: BT, run, testDir: 'test_srv0' },
    });
    expect(second.samples.find((x) => x.pid === 902)?.orphaned).toBe(false);
    const state = s.lineageState();
    s.dispose();

    // A window reload: the saved state restores the tie; a state from another boot does not.
    const restored = scanner({ lineage: JSON.parse(JSON.stringify(state)) });
    expect(Object.keys(leftBy(await scan(restored)))).toEqual(['901', '902']);
    restored.dispose();
    writeBootId('boot-b');
    const rebooted = scanner({ lineage: state });
    // 902 is under a live shell, not orphaned: without its lineage nothing ties it any more.
    expect(Object.keys(leftBy(await scan(rebooted)))).toEqual([]);
    rebooted.dispose();
  });

  it('forgets lineage entries whose process is gone', async () => {
    writeInit([900]);
    writeDiagProcess(root, orphan(900, { comm: 'pytest', argv: ['pytest'], children: [901] }));
    writeDiagProcess(root, orphan(901, { ppid: 900 }));
    const s = scanner();
    await scan(s);
    removeFakeProcess(root, 900);
    removeFakeProcess(root, 901);
    writeInit([]);
    await scan(s);
    expect(s.lineageState().entries).toEqual([]);
    s.dispose();
  });

  it("testChildren off: a watched run's workers stay listed once it is gone; no orphan is examined", async () => {
    writeInit([900, 200]);
    writeDiagProcess(root, orphan(900, { comm: 'pytest', argv: ['pytest', 'tests'], children: [901] }));
    writeDiagProcess(root, orphan(901, { ppid: 900 }));
    writeDiagProcess(root, orphan(200, { cwd: `${BT}/test_a0` })); // evidence, but not looked for
    const s = scanner();
    expect(leftBy(await scan(s, false))).toEqual({});
    removeFakeProcess(root, 900); // a root-only kill: the worker runs on, re-parented onto init
    writeInit([901, 200]);
    writeDiagProcess(root, orphan(901, {}));
    expect(leftBy(await scan(s, false))).toEqual({
      901: { kind: 'pytest', evidence: 'lineage', basetemp: null, run: `900:${500_900}`, testDir: null },
    });
    s.dispose();
  });

  it('testChildren off, no run ever watched: nothing is looked for (init is not even read)', async () => {
    writeInit([200]);
    writeDiagProcess(root, orphan(200, { cwd: `${BT}/test_a0` }));
    const fs = recordingFs();
    const s = scanner({ fs });
    const result = await scan(s, false);
    s.dispose();
    expect(leftBy(result)).toEqual({});
    expect(fs.count('/1/task')).toBe(0);
    expect(fs.count('/200/cwd') + fs.count('/200/fd') + fs.count('/200/stat')).toBe(0); // its cmdline only
  });

  it('garbage in a saved state is dropped, not trusted', async () => {
    writeInit([]);
    for (const bad of [
      null,
      7,
      'x',
      { version: 2 },
      { version: 1, bootId: 'boot-a', entries: [{ pid: -1 }] },
    ]) {
      const s = scanner({ lineage: bad });
      await scan(s);
      expect(s.lineageState().entries).toEqual([]);
      s.dispose();
    }
  });

  it('a budget spreads the examination of many new orphans over scans', async () => {
    const pids = [201, 202, 203, 204, 205];
    writeInit(pids);
    for (const pid of pids) writeDiagProcess(root, orphan(pid, { cwd: `${BT}/test_${pid}0` }));
    const s = scanner();
    const found = async (): Promise<number> =>
      Object.keys(leftBy(await s.scan(createMatcher(['pytest']), DEFAULT_REAPERS, { orphanBudget: 2 })))
        .length;
    expect(await found()).toBe(2);
    expect(await found()).toBe(4);
    expect(await found()).toBe(5);
    s.dispose();
  });
});
