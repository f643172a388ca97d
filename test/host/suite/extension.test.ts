/// <reference types="mocha" />
// Runs INSIDE a real extension host (code-server or VS Code via the harness): the real
// extension, the real /proc, a real orphaned fake pytest. Nothing here waits on the user: the
// kill goes through the API's kill(), which uses the same engine without the modal.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as vscode from 'vscode';
import { COMMAND_IDS as COMMANDS } from '../../../src/vscode/commands';
import { EXTENSION_ID, extensionApi as api, scanUntil, setting, testHooks } from './hostApi';
import type { Api, Snapshot, SnapshotProcess } from './hostApi';

/** A real orphan: the subshell exits right away, so `sleep` (argv[0] "pytest") is re-parented. */
function spawnOrphanedPytest(): number {
  const out = spawnSync('bash', ['-c', '( exec -a pytest sleep 300 </dev/null >/dev/null 2>&1 & echo $! )'], {
    encoding: 'utf8',
  });
  const pid = Number(out.stdout.trim());
  assert.ok(Number.isInteger(pid) && pid > 1, `spawned fake pytest, got ${JSON.stringify(out.stdout)}`);
  return pid;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

suite('Proc Watchdog extension', () => {
  test('activates and returns the test API', async () => {
    const a = await api();
    assert.equal(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, true);
    assert.equal(typeof a.scanNow, 'function');
    assert.equal(typeof a.snapshot, 'function');
    assert.ok(Array.isArray(a.snapshot().processes));
  });

  test('registers every contributed command', async () => {
    await api();
    const registered = new Set(await vscode.commands.getCommands(true));
    const contributed = (
      vscode.extensions.getExtension(EXTENSION_ID)?.packageJSON as {
        contributes: { commands: { command: string }[] };
      }
    ).contributes.commands.map((c) => c.command);
    assert.deepEqual([...contributed].sort(), [...COMMANDS].sort());
    for (const id of COMMANDS) assert.ok(registered.has(id), `${id} registered`);
  });
});

suite('Proc Watchdog on a real orphaned pytest', function () {
  this.timeout(90_000);
  let pid = 0;
  let a: Api;

  suiteSetup(async () => {
    a = await api();
    await setting('patterns', undefined);
    await setting('enabled', undefined);
    pid = spawnOrphanedPytest();
  });

  suiteTeardown(async () => {
    if (pid > 0 && alive(pid)) process.kill(pid, 'SIGKILL');
    for (const key of ['ageMinutes', 'patterns', 'enabled']) await setting(key, undefined);
  });

  const mine = (s: Snapshot): SnapshotProcess | undefined => s.processes.find((p) => p.pid === pid);

  test('with ageMinutes 0 it is shown as blocking and orphaned, and a warning names it', async () => {
    await setting('ageMinutes', 0);
    const snap = await scanUntil(a, 'the fake pytest to block', (s) => mine(s)?.blocking === true);
    const p = mine(snap);
    assert.ok(p);
    assert.equal(p.orphaned, true, 'its launcher exited, so it was re-parented onto a reaper');
    assert.match(p.label, /pytest/);
    assert.match(p.description, /^(\d+s|\d+m|\d+h \d+m)\b/, 'description starts with the age badge');
    assert.equal(p.key, `${p.pid}:${p.starttime}`);
    assert.ok(snap.blockingCount >= 1);
    assert.equal(snap.state, 'watching');
    assert.ok(snap.lastScan?.ok && snap.lastScan.processes > 0 && snap.lastScan.matched >= 1);
    assert.ok(
      snap.recentEvents.some((e) => e.type === 'fire' && e.key === p.key),
      'a FIRE event for it',
    );
    // Other fake pytests on the machine may be grouped into the same notification, so only
    // "pytest" is certain to be in it (the PID is, when it is alone).
    assert.ok(
      snap.recentNotifications.some((n) => n.includes('pytest')),
      'a notification mentions pytest',
    );
  });

  test('raising ageMinutes makes it non-blocking; it stays listed', async () => {
    await setting('ageMinutes', 60);
    const snap = await scanUntil(a, 'the fake pytest to stop blocking', (s) => mine(s)?.blocking === false);
    assert.ok(mine(snap), 'still shown, waiting for the threshold');
  });

  test('a patterns change takes effect: a pattern that does not match hides it', async () => {
    await setting('patterns', ['no-such-program-xyz']);
    await scanUntil(
      a,
      'the fake pytest to disappear',
      (s) => s.lastScan?.ok === true && mine(s) === undefined,
    );
    await setting('patterns', undefined);
    await setting('ageMinutes', 0);
    await scanUntil(a, 'the fake pytest to block again', (s) => mine(s)?.blocking === true);
  });

  test('disabling stops scanning; the enable command turns it back on', async () => {
    await setting('enabled', false);
    await scanUntil(a, 'the disabled state', (s) => s.state === 'disabled');
    assert.equal(await a.scanNow(), null, 'no scan while disabled');
    assert.equal(a.snapshot().processes.length, 0);
    await vscode.commands.executeCommand('procWatchdog.enable');
    await scanUntil(a, 'watching again', (s) => s.state === 'watching' && mine(s)?.blocking === true);
    await setting('enabled', undefined);
  });

  test('the workspace env file applies when the setting is not set explicitly (skipped without a trusted folder)', async function () {
    const folder = vscode.workspace.workspaceFolders?.[0];
    if (folder === undefined || !vscode.workspace.isTrusted) this.skip();
    const envUri = vscode.Uri.joinPath(folder.uri, '.env.watchdog');
    const existed = await vscode.workspace.fs.stat(envUri).then(
      () => true,
      () => false,
    );
    if (existed) this.skip(); // never overwrite a real env file
    try {
      await setting('ageMinutes', undefined);
      await scanUntil(a, 'the default threshold (60 min)', (s) => mine(s)?.blocking === false);
      await vscode.workspace.fs.writeFile(envUri, new TextEncoder().encode('WATCHDOG_PROC_AGE_MIN=0\n'));
      await scanUntil(a, 'WATCHDOG_PROC_AGE_MIN=0 from .env.watchdog', (s) => mine(s)?.blocking === true);
      await setting('ageMinutes', 60); // explicit settings win over the env file
      await scanUntil(a, 'the explicit setting to win', (s) => mine(s)?.blocking === false);
    } finally {
      await vscode.workspace.fs.delete(envUri).then(undefined, () => undefined);
      await setting('ageMinutes', 0);
    }
    await scanUntil(a, 'blocking again', (s) => mine(s)?.blocking === true);
  });

  test('kill: SIGTERM after the identity check; it disappears and recovers as killed', async () => {
    const before = mine(a.snapshot());
    assert.ok(before);
    const outcome = await testHooks(a).kill(before.key);
    assert.deepEqual(outcome, { kind: 'killed', signal: 'SIGTERM' });
    const snap = await scanUntil(a, 'a recovery for it', (s) =>
      s.recentEvents.some((e) => e.type === 'recovery' && e.key === before.key),
    );
    assert.equal(mine(snap), undefined, 'no longer listed');
    const recovery = snap.recentEvents.find((e) => e.type === 'recovery' && e.key === before.key);
    assert.equal(recovery?.reason, 'killed');
    assert.ok(
      snap.recentNotifications.some((n) => n.includes(String(before.pid))),
      'the recovery was announced',
    );
    // A second kill of the same identity finds it gone and signals nothing.
    assert.deepEqual(await testHooks(a).kill(before.key), 'notFound');
  });
});
