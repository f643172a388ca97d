/// <reference types="mocha" />
// Smoke check of the harness itself: the extension under test was loaded by the real extension
// host, activates, and registers the commands the UI and the other host tests rely on.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'orchestrator.proc-watchdog';
const REQUIRED_COMMANDS = [
  'procWatchdog.scanNow',
  'procWatchdog.kill',
  'procWatchdog.snooze',
  'procWatchdog.copyReport',
  'procWatchdog.openSettings',
  'procWatchdog.showLog',
];

suite('Harness smoke', () => {
  test('the extension under test is present and becomes active', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is loaded by the extension host`);
    const api = (await ext.activate()) as { snapshot?: () => { blockingCount: number } } | undefined;
    assert.equal(ext.isActive, true);
    assert.equal(typeof api?.snapshot, 'function', 'activate() returns the test API');
    assert.equal(typeof api?.snapshot?.().blockingCount, 'number');
  });

  test('the extension host is a Linux workspace host that can see /proc', () => {
    assert.equal(process.platform, 'linux');
    assert.ok(vscode.workspace.workspaceFolders?.length, 'a workspace folder is open');
  });

  test('its commands are registered', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = REQUIRED_COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, [], `missing commands: ${missing.join(', ')}`);
  });
});
