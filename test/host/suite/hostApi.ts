// What the in-host suites share: the extension's test API (activate()'s return value, typed by
// src/extension.ts ExtensionApi itself, so the two cannot drift), settings writes, and polling
// until a snapshot says what a test waits for. Bundled next to the *.test.js files but not loaded
// as a test (index.ts loads only those); the type imports are erased from the bundle.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi, TestHooks } from '../../../src/extension';
import type { Snapshot } from '../../../src/vscode/controller';

export type { TargetOutcome } from '../../../src/proc/kill';
export type { Snapshot };
export type Api = ExtensionApi;
export type { TestHooks };
export type SnapshotProcess = Snapshot['processes'][number];

export const EXTENSION_ID = 'orchestrator.proc-watchdog';

/** The test-only kill hooks; the suite runs as extensionTestsPath, so they must be there. */
export function testHooks(a: Api): TestHooks {
  assert.ok(a.testHooks, 'the extension exposes its kill hooks in a test host (ExtensionMode.Test)');
  return a.testHooks;
}

export async function extensionApi(): Promise<Api> {
  const ext = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.activate();
}

const config = (): vscode.WorkspaceConfiguration => vscode.workspace.getConfiguration('procWatchdog');

export const setting = (key: string, value: unknown): Thenable<void> =>
  config().update(key, value, vscode.ConfigurationTarget.Global);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Scan until `check` passes on the snapshot (settings and kills apply asynchronously). */
export async function scanUntil(
  a: Api,
  what: string,
  check: (s: Snapshot) => boolean,
  timeoutMs = 20_000,
): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  let last = a.snapshot();
  while (Date.now() < deadline) {
    await a.scanNow();
    last = a.snapshot();
    if (check(last)) return last;
    await sleep(200);
  }
  assert.fail(
    `timed out waiting for ${what}; last snapshot: ${JSON.stringify({ ...last, recentNotifications: undefined })}`,
  );
}

/**
 * Wait, without scanning, until `check` passes: the notification follows its scan through the
 * multi-window gate (a promise), so it can land a moment after the scan that fired it.
 */
export async function snapshotUntil(
  a: Api,
  what: string,
  check: (s: Snapshot) => boolean,
  timeoutMs = 10_000,
): Promise<Snapshot> {
  const deadline = Date.now() + timeoutMs;
  let last = a.snapshot();
  while (Date.now() < deadline) {
    last = a.snapshot();
    if (check(last)) return last;
    await sleep(100);
  }
  assert.fail(`timed out waiting for ${what}; notifications: ${JSON.stringify(last.recentNotifications)}`);
}
