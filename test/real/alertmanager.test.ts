// `watch --alertmanager` against the real Alertmanager (Debian's prometheus-alertmanager): the
// pushed ProcBlocking alert for a real orphaned pytest arrives and is resolved after the kill,
// and an Alertmanager that is down for 10 s and then comes up still gets it.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killStarted, spawnOrphan } from '../helpers/realProcs';
import type { Started } from './engines';
import {
  BIN,
  cliBundle,
  eventually,
  freePort,
  getJson,
  killAllStarted,
  requireEngine,
  start,
  startAlertmanager,
  tempDir,
  waitReady,
} from './engines';

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  status: { state: string };
}

const dirs: { cleanup(): void }[] = [];
let cli = '';
let watch: Started | undefined;
let alertmanager: Started | undefined;

beforeAll(async () => {
  requireEngine(BIN.alertmanager);
  const dir = tempDir('pw-am-cli-');
  dirs.push(dir);
  cli = await cliBundle(dir.path);
}, 60_000);

afterEach(() => {
  killAllStarted();
  killStarted();
  for (const d of dirs.splice(1)) d.cleanup(); // dirs[0] holds the CLI bundle, kept for the file
});

afterAll(() => {
  for (const d of dirs.splice(0)) d.cleanup();
});

const context = (): string =>
  `--- watch\n${watch?.output() ?? ''}\n--- alertmanager\n${alertmanager?.output() ?? ''}`;

function alertsFor(amUrl: string, key: string): Promise<AmAlert[]> {
  return getJson<AmAlert[]>(`${amUrl}/api/v2/alerts?filter=${encodeURIComponent(`key="${key}"`)}`);
}

function startWatch(amUrl: string): Started {
  // --age-min 0: every pytest blocks at once; --interval 1: one scan a second.
  return start(process.execPath, [
    cli,
    'watch',
    '--interval',
    '1',
    '--age-min',
    '0',
    '--alertmanager',
    amUrl,
  ]);
}

describe('watch --alertmanager with the real Alertmanager', () => {
  it('pushes ProcBlocking for a real orphaned pytest and resolves it after the kill', async () => {
    const dir = tempDir('pw-am-');
    dirs.push(dir);
    const port = await freePort();
    const amUrl = `http://127.0.0.1:${port}`;
    alertmanager = startAlertmanager(dir.path, port);
    await waitReady('alertmanager', alertmanager, `${amUrl}/-/ready`);
    const orphan = await spawnOrphan('exec -a pytest sleep 300');
    const key = `${orphan.pid}:${orphan.starttime}`;
    watch = startWatch(amUrl);

    const [alert] = await eventually(
      `ProcBlocking ${key} in Alertmanager`,
      async () => {
        const alerts = await alertsFor(amUrl, key);
        return alerts.length > 0 ? alerts : undefined;
      },
      20_000,
      context,
    );
    expect(alert?.status.state).toBe('active');
    expect(alert?.labels).toMatchObject({
      alertname: 'ProcBlocking',
      kind: 'proc_blocking',
      severity: 'warning',
      job: 'proc-watchdog',
      key,
      program: 'pytest',
      orphaned: 'true',
    });
    expect(alert?.labels.instance).toBeTruthy();
    expect(alert?.annotations.summary).toMatch(
      new RegExp(`^pytest process ${key} has run for \\d+s, orphaned$`),
    );
    // Valid for 4 minutes unless re-sent or resolved: what follows is an explicit resolution.
    expect(Date.parse(alert?.endsAt ?? '') - Date.now()).toBeGreaterThan(200_000);

    const killedAt = Date.now();
    process.kill(orphan.pid, 'SIGKILL');
    await eventually(
      `ProcBlocking ${key} resolved`,
      async () => ((await alertsFor(amUrl, key)).length === 0 ? true : undefined),
      20_000,
      context,
    );
    // Recovery takes two scans (1 s apart) and one POST: seconds, not the 4 minute validity.
    expect(Date.now() - killedAt).toBeLessThan(15_000);
    expect(watch.alive()).toBe(true);
    expect(watch.output()).not.toMatch(/cannot deliver/);
  }, 60_000);

  it('Alertmanager down for 10 s, then up: the alert still arrives and the watch never dies', async () => {
    const dir = tempDir('pw-am-down-');
    dirs.push(dir);
    const port = await freePort();
    const amUrl = `http://127.0.0.1:${port}`;
    const orphan = await spawnOrphan('exec -a pytest sleep 300');
    const key = `${orphan.pid}:${orphan.starttime}`;
    const w = startWatch(amUrl);
    watch = w;
    await new Promise((r) => setTimeout(r, 10_000));
    expect(watch.alive()).toBe(true);
    expect(watch.output()).toMatch(
      /alertmanager: cannot deliver to .*ECONNREFUSED \(retrying with backoff\)/,
    );
    // Reported once per outage, not once per retry.
    expect(watch.output().match(/cannot deliver/g)).toHaveLength(1);

    const upAt = Date.now();
    alertmanager = startAlertmanager(dir.path, port);
    await waitReady('alertmanager', alertmanager, `${amUrl}/-/ready`);
    await eventually(
      `ProcBlocking ${key} in Alertmanager after it came up`,
      async () => ((await alertsFor(amUrl, key)).length > 0 ? true : undefined),
      25_000,
      context,
    );
    // Backoff is capped at 10 s.
    expect(Date.now() - upAt).toBeLessThan(20_000);
    // The watch logs the delivery once Alertmanager's answer is back: that can come a moment after
    // the alert shows up in Alertmanager's own API.
    await eventually(
      'the watch logs the delivery',
      () => Promise.resolve(/alertmanager: delivered to .* again/.test(w.output()) ? true : undefined),
      5_000,
      context,
    );
    expect(watch.alive()).toBe(true);
  }, 70_000);
});
