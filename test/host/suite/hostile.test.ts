/// <reference types="mocha" />
// Runs INSIDE the real extension host: the doors issue 8 found around the kill. The exported
// API carries no kill (only the test host's testHooks do), and procWatchdog.kill, which any
// extension or keybinding can run with any argument, answers a bad one with a message and no
// throw. A process whose command line holds a bidi override and an OSC sequence is listed with
// them escaped (the command-link case is a UI check: test/host/ui/hostileChecks.mjs).
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { extensionApi, scanUntil, setting } from './hostApi';

function starttimeOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return null;
  }
}

suite('Hostile input', function () {
  this.timeout(60_000);
  const started: { pid: number; starttime: number }[] = [];

  suiteTeardown(async () => {
    for (const { pid, starttime } of started)
      if (starttimeOf(pid) === starttime) process.kill(pid, 'SIGKILL');
    await setting('ageMinutes', undefined);
  });

  test('the exported API has no kill: only the test host gets the hooks', async () => {
    const a = (await extensionApi()) as unknown as Record<string, unknown>;
    assert.equal('kill' in a, false);
    assert.equal('killTree' in a, false);
    assert.equal(vscode.ExtensionMode.Test, vscode.ExtensionMode.Test);
    assert.equal(typeof (a.testHooks as { kill?: unknown } | undefined)?.kill, 'function');
  });

  test('procWatchdog.kill and .snooze take a bad argument without throwing, and signal nothing', async () => {
    await extensionApi();
    for (const bad of [
      null,
      42,
      {},
      { key: 7 },
      { key: '1:x' },
      'not-a-key',
      ['1:2', 'not-a-key'],
      [7],
      '9'.repeat(100) + ':1',
    ]) {
      assert.equal(
        await vscode.commands.executeCommand('procWatchdog.kill', bad),
        'invalid',
        `kill(${JSON.stringify(bad)})`,
      );
      await vscode.commands.executeCommand('procWatchdog.snooze', bad);
    }
    // A well-formed key of no listed process: nothing to signal, said so.
    assert.equal(await vscode.commands.executeCommand('procWatchdog.kill', '999999:1'), 'notFound');
    // A list of well-formed keys (a notification's "Kill…" about several): none listed, none signalled.
    assert.equal(await vscode.commands.executeCommand('procWatchdog.kill', ['999999:1']), 'notFound');
  });

  test('a command line with a bidi override and an OSC sequence is listed escaped', async () => {
    const a = await extensionApi();
    await setting('ageMinutes', 0);
    // argv[0] "pytest" (matched as the program), then a word with a bidi override and an OSC.
    const out = spawnSync(
      'bash',
      [
        '-c',
        `( exec -a pytest /usr/bin/python3 -c 'import time;time.sleep(300)' "$1" </dev/null >/dev/null 2>&1 & echo $! )`,
        'launcher',
        '\u202e\u001b]0;x\u0007',
      ],
      { encoding: 'utf8' },
    );
    const pid = Number(out.stdout.trim());
    const starttime = starttimeOf(pid);
    assert.ok(starttime !== null, `spawned: ${out.stdout}${out.stderr}`);
    started.push({ pid, starttime });
    const snap = await scanUntil(a, 'the hostile process to be listed', (s) =>
      s.processes.some((p) => p.pid === pid),
    );
    const row = snap.processes.find((p) => p.pid === pid)!;
    // The label is elided in the middle to fit the sidebar; the escaped tail shows in it, the
    // whole escaped word in the command line (tooltip, modal, report).
    assert.ok(row.label.includes('\\x1B]0;x\\x07'), row.label);
    assert.ok(row.commandLine.includes('\\u{202E}\\x1B]0;x\\x07'), row.commandLine);
    for (const text of [row.label, row.commandLine])
      // eslint-disable-next-line no-control-regex -- what must not be in it
      assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202e]/);
  });
});
