/// <reference types="mocha" />
// Runs INSIDE a real extension host (code-server or VS Code via the harness): the real
// extension, the real /proc, a real orphaned fake pytest. Nothing here waits on the user: the
// kill goes through the API's kill(), which uses the same engine without the modal.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as vscode from 'vscode';
import { childrenOf, killStarted, spawnOrphan, track, waitUntil } from '../../helpers/realProcs';
import { COMMAND_IDS as COMMANDS } from '../../../src/vscode/commands';
import { EXTENSION_ID, extensionApi as api, scanUntil, setting, snapshotUntil, testHooks } from './hostApi';
import type { Api, Snapshot, SnapshotProcess } from './hostApi';

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
    // A real orphan: its launcher shell exits at once, so `sleep` (argv[0] "pytest") is re-parented.
    ({ pid } = await spawnOrphan('exec -a pytest sleep 300'));
  });

  suiteTeardown(async () => {
    killStarted();
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
    // "pytest" is certain to be in it (the PID is, when it is alone). It follows the scan through
    // the multi-window gate, so it may land just after.
    await snapshotUntil(a, 'a notification that mentions pytest', (s) =>
      s.recentNotifications.some((n) => n.includes('pytest')),
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

  test('snooze for an hour: the row says until when and stops blocking; unsnooze: it blocks again', async () => {
    const p = mine(a.snapshot());
    assert.ok(p);
    a.snooze(p.key, { seconds: 3600 });
    const snoozed = await scanUntil(a, 'the snooze', (s) => mine(s)?.snoozed === true);
    assert.match(mine(snoozed)?.description ?? '', /snoozed until \d/);
    assert.equal(mine(snoozed)?.blocking, false);
    a.unsnooze(p.key);
    await scanUntil(a, 'the snooze to end', (s) => mine(s)?.blocking === true && mine(s)?.snoozed === false);
  });

  test('Show reveals and selects its row', async () => {
    const p = mine(a.snapshot());
    assert.ok(p);
    assert.equal(await a.reveal([p.key]), true);
    assert.equal(await a.reveal(['1:1']), false, 'a key that is not listed selects nothing');
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
      snap.recentNotifications.some((n) => n.includes(`(PID ${before.pid}): SIGTERM sent`)),
      'the live notification said the kill (no toast of its own)',
    );
    assert.ok(
      snap.recentNotifications.some((n) =>
        new RegExp(`PID ${before.pid}\\) after .*terminated from here`).test(n),
      ),
      'and then that it ended',
    );
    // A second kill of the same identity finds it gone and signals nothing.
    assert.deepEqual(await testHooks(a).kill(before.key), 'notFound');
  });
});

suite('Threshold advice from runs that ended on their own', function () {
  this.timeout(60_000);

  /** A "pytest" (sleep) whose launcher stays alive (not an orphan); resolves with its pid. */
  async function pytestUnderLiveLauncher(seconds: number): Promise<number> {
    const launcher = spawn('bash', ['-c', `(exec -a pytest sleep ${seconds}); sleep 60`], {
      detached: true,
      stdio: 'ignore',
    });
    assert.ok(launcher.pid !== undefined);
    track(launcher.pid);
    const launcherPid = launcher.pid;
    let child = 0;
    await waitUntil('the pytest child', () => (child = childrenOf(launcherPid)[0] ?? 0) > 0, 5_000);
    return child;
  }

  teardown(async () => {
    killStarted();
    await setting('ageMinutes', undefined);
  });

  test('a run killed from here teaches nothing, even one that was not blocking yet', async () => {
    const a = await api();
    await setting('ageMinutes', 60); // not blocking: no alert, so no "killed" recovery either
    const child = await pytestUnderLiveLauncher(600);
    const seen = await scanUntil(a, 'the pytest with a live launcher', (s) =>
      s.processes.some((p) => p.pid === child && !p.orphaned && !p.blocking),
    );
    const learned = seen.learnedRuns;
    const key = seen.processes.find((p) => p.pid === child)?.key ?? '';
    assert.deepEqual(await testHooks(a).kill(key), { kind: 'killed', signal: 'SIGTERM' });
    const gone = await scanUntil(
      a,
      'the killed pytest gone',
      (s) => !s.processes.some((p) => p.pid === child),
    );
    await a.scanNow(); // and one more tick after it
    assert.equal(a.snapshot().learnedRuns, learned, 'a kill from here is not a run that ended on its own');
    assert.equal(gone.learnedRuns, learned);
  });

  test('a run that outlasts ageMinutes and then exits with its launcher alive suggests a longer threshold', async () => {
    const a = await api();
    await setting('ageMinutes', 0.02); // 1.2 s: a 4 s run outlasts it
    const child = await pytestUnderLiveLauncher(4); // ends on its own after 4 s
    const before = await scanUntil(a, 'the pytest with a live launcher', (s) =>
      s.processes.some((p) => p.pid === child && !p.orphaned),
    );
    const snap = await scanUntil(
      a,
      'the advice once it ended',
      (s) => !s.processes.some((p) => p.pid === child) && s.advice !== '',
    );
    // 4 s × 1.25, rounded up to 5 minutes: "… up to 4s, longer than procWatchdog.ageMinutes (0.02): consider 5."
    assert.match(snap.advice, /procWatchdog\.ageMinutes \(0\.02\)/);
    assert.match(snap.advice, /\b5\.$/);
    assert.equal(snap.learnedRuns, before.learnedRuns + 1);
    await setting('ageMinutes', 60);
    await scanUntil(a, 'no advice above the longest run', (s) => s.advice === '');
  });
});
