/// <reference types="mocha" />
// Runs INSIDE the real extension host: a real orphaned fake pytest WITH a child (like pytest and
// an xdist worker), killed "with its descendants" through the same engine as the modal's second
// button. Both must be gone, and the recovery must say 'killed'. Whatever this file started is
// SIGKILLed by pid (and starttime) at the end, whatever happened.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { ProcScanner } from '../../../src/proc/reader';
import { confirmDetail, confirmTitle, runButton } from '../../../src/vscode/killText';
import { createKillBackend } from '../../../src/proc/killFlow';
import { buildSignals } from '../../../src/watchdog/signals';
import { buildViewModel } from '../../../src/watchdog/viewModel';
import { createMatcher } from '../../../src/watchdog/match';
import { extensionApi, scanUntil, setting, sleep } from './hostApi';
import type { Api, TargetOutcome } from './hostApi';

/** pid's starttime (stat field 22), or null when it is gone or a zombie (it has exited). */
function starttimeOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' ? null : Number(fields[19]);
  } catch {
    return null;
  }
}

function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

suite('Kill with descendants on a real process tree', function () {
  this.timeout(90_000);
  // Identities started here, killed by pid + starttime in teardown (never a reused pid).
  const started: { pid: number; starttime: number }[] = [];
  let a: Api;

  suiteSetup(async () => {
    a = await extensionApi();
    await setting('patterns', undefined);
    await setting('ageMinutes', 0);
  });

  suiteTeardown(async () => {
    for (const { pid, starttime } of started) {
      if (starttimeOf(pid) === starttime) process.kill(pid, 'SIGKILL');
    }
    await setting('ageMinutes', undefined);
  });

  /** A real orphaned "pytest" with one child; both registered for the teardown. */
  async function spawnTree(): Promise<{ pid: number; rootStart: number; child: number; childStart: number }> {
    // Double fork: the outer shell exits at once, so "pytest" (a bash running `sleep & wait`)
    // is re-parented onto the reaper and keeps its own child.
    const out = spawnSync(
      'bash',
      ['-c', `( exec -a pytest bash -c 'sleep 300 & wait' </dev/null >/dev/null 2>&1 & echo $! )`],
      { encoding: 'utf8' },
    );
    const pid = Number(out.stdout.trim());
    assert.ok(Number.isInteger(pid) && pid > 1, `spawned, got ${JSON.stringify(out.stdout)}`);
    let child: number | undefined;
    for (let i = 0; i < 200 && child === undefined; i++) {
      child = childrenOf(pid)[0];
      if (child === undefined) await sleep(10);
    }
    const rootStart = starttimeOf(pid);
    assert.ok(rootStart !== null, 'the fake pytest runs');
    started.push({ pid, starttime: rootStart });
    assert.ok(child !== undefined, 'the fake pytest started its child');
    const childStart = starttimeOf(child);
    assert.ok(childStart !== null);
    started.push({ pid: child, starttime: childStart });
    return { pid, rootStart, child, childStart };
  }

  test('the confirm modal names what runs, PID, age, the run and each descendant', async () => {
    const { pid, child } = await spawnTree();
    const scanner = new ProcScanner({ procRoot: '/proc' });
    const matcher = createMatcher(['pytest']);
    const scan = await scanner.scan(matcher, []);
    scanner.dispose();
    const sample = scan.samples.find((s) => s.pid === pid);
    assert.ok(sample, 'the reader sees the fake pytest');
    const signals = buildSignals([sample], { ageMinutes: 0, orphansOnly: false });
    const row = buildViewModel({ scan, signals, state: { snoozes: {} } }, Date.now()).all[0];
    assert.ok(row);
    const backend = createKillBackend({ matcher }, 5);
    const listed = await backend.listDescendants(sample);
    assert.equal(listed.kind, 'ok');
    const plan = {
      target: sample,
      descendants: listed.kind === 'ok' ? listed.descendants : [],
      listError: null,
    };
    assert.deepEqual(
      plan.descendants.map((d) => d.pid),
      [child],
    );
    assert.equal(runButton(plan.descendants.length + 1), 'Terminate run (2 processes)');
    assert.equal(confirmTitle(row, plan), 'Terminate pytest -c "sleep 300 & wait" (2 processes)?');
    const detail = confirmDetail(row, plan);
    assert.ok(detail.startsWith('pytest -c "sleep 300 & wait"\n'), detail);
    assert.match(detail, new RegExp(`PID ${pid}, running for \\d+s, orphaned onto \\S+\\.`));
    assert.doesNotMatch(detail, /cgroup/);
    if (sample.containerId !== null) assert.match(detail, /It runs in container [0-9a-f]{12}\./);
    assert.match(
      detail,
      /"Terminate run \(2 processes\)" sends SIGTERM to it and to the processes it started/,
    );
    assert.match(detail, new RegExp(`"Root only" sends SIGTERM to PID ${pid} only\\.`));
    assert.match(detail, new RegExp(`^  ${child}: sleep 300$`, 'm'));
  });

  test('both the pytest and its child are signalled, gone, and the recovery says killed', async () => {
    const { pid, rootStart, child } = await spawnTree();
    const key = `${pid}:${rootStart}`;
    await scanUntil(a, 'the fake pytest to block', (s) =>
      s.processes.some((p) => p.key === key && p.blocking),
    );

    const results = await a.killTree(key);
    assert.ok(Array.isArray(results), `tree kill ran: ${JSON.stringify(results)}`);
    const byPid = new Map((results as readonly TargetOutcome[]).map((r) => [r.target.pid, r.outcome]));
    assert.deepEqual(byPid.get(pid), { kind: 'killed', signal: 'SIGTERM' }, 'root signalled');
    assert.deepEqual(byPid.get(child), { kind: 'killed', signal: 'SIGTERM' }, 'child signalled');

    const deadline = Date.now() + 10_000;
    while ((starttimeOf(pid) !== null || starttimeOf(child) !== null) && Date.now() < deadline)
      await sleep(50);
    assert.equal(starttimeOf(pid), null, 'the fake pytest is gone');
    assert.equal(starttimeOf(child), null, 'its child is gone');

    const snap = await scanUntil(a, 'a recovery for it', (s) =>
      s.recentEvents.some((e) => e.type === 'recovery' && e.key === key),
    );
    const recovery = snap.recentEvents.find((e) => e.type === 'recovery' && e.key === key);
    assert.equal(recovery?.reason, 'killed');
    assert.equal(await a.killTree(key), 'notFound', 'a second kill finds nothing to signal');
  });
});
