// The real Prometheus (Debian's package) scraping `proc-watchdog metrics --listen` with the
// shipped rules file: ProcBlocking fires for a real orphaned pytest and clears after the kill.
// Alertmanager receives it from Prometheus and from `watch --alertmanager` at once, and shows
// one alert: the labels agree, so it deduplicates.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KillTarget } from '../../src/proc/kill';
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
  startExporter,
  startPrometheus,
  tempDir,
  waitReady,
} from './engines';

const RULES = resolve(__dirname, '../../deploy/prometheus/rules.yml');

interface PromAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
}
interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  fingerprint: string;
  status: { state: string };
}

const dir = tempDir('pw-prometheus-');
let cli = '';
let orphan: KillTarget;
let key = '';
let exporter: Started;
let exporterPort = 0;
let prometheus: Started;
let promUrl = '';
let alertmanager: Started;
let amUrl = '';
let watch: Started;

const context = (): string =>
  [
    `--- exporter\n${exporter?.output() ?? ''}`,
    `--- prometheus\n${prometheus?.output() ?? ''}`,
    `--- alertmanager\n${alertmanager?.output() ?? ''}`,
    `--- watch\n${watch?.output() ?? ''}`,
  ].join('\n');

const firing = async (): Promise<PromAlert[]> =>
  (await getJson<{ data: { alerts: PromAlert[] } }>(`${promUrl}/api/v1/alerts`)).data.alerts.filter(
    (a) => a.labels.alertname === 'ProcBlocking' && a.labels.key === key,
  );

beforeAll(async () => {
  requireEngine(BIN.prometheus);
  requireEngine(BIN.alertmanager);
  cli = await cliBundle(dir.path);
  orphan = await spawnOrphan('exec -a pytest sleep 300');
  key = `${orphan.pid}:${orphan.starttime}`;
  // --age-min 0: every pytest blocks at once (a real one would be an hour old).
  ({ exporter, port: exporterPort } = await startExporter(cli, [
    '--listen',
    '127.0.0.1:0',
    '--interval',
    '1',
    '--age-min',
    '0',
  ]));
  const amPort = await freePort();
  amUrl = `http://127.0.0.1:${amPort}`;
  alertmanager = startAlertmanager(dir.path, amPort);
  const promPort = await freePort();
  promUrl = `http://127.0.0.1:${promPort}`;
  prometheus = startPrometheus(
    dir.path,
    promPort,
    [
      'global:',
      '  scrape_interval: 1s',
      '  evaluation_interval: 1s',
      'rule_files:',
      `  - ${JSON.stringify(RULES)}`,
      'alerting:',
      '  alertmanagers:',
      '    - static_configs:',
      `        - targets: ['127.0.0.1:${amPort}']`,
      'scrape_configs:',
      '  - job_name: proc-watchdog',
      '    static_configs:',
      `      - targets: ['127.0.0.1:${exporterPort}']`,
      '',
    ].join('\n'),
  );
  await waitReady('alertmanager', alertmanager, `${amUrl}/-/ready`);
  await waitReady('prometheus', prometheus, `${promUrl}/-/ready`);
}, 90_000);

afterAll(() => {
  killAllStarted();
  killStarted();
  dir.cleanup();
});

describe('Prometheus scraping proc-watchdog metrics', () => {
  it('scrapes OpenMetrics without errors (counter families typed as such)', async () => {
    const target = await eventually(
      'the proc-watchdog target to be up',
      async () => {
        const targets = await getJson<{
          data: { activeTargets: { labels: Record<string, string>; health: string; lastError: string }[] };
        }>(`${promUrl}/api/v1/targets`);
        return targets.data.activeTargets.find((t) => t.labels.job === 'proc-watchdog' && t.health === 'up');
      },
      30_000,
      context,
    );
    expect(target.lastError).toBe('');
    // Prometheus negotiated OpenMetrics: the counter's metadata is under its family name.
    const metadata = await getJson<{ data: { metric: string; type: string }[] }>(
      `${promUrl}/api/v1/targets/metadata?match_target=${encodeURIComponent('{job="proc-watchdog"}')}&metric=proc_watchdog_scans`,
    );
    expect(metadata.data.map((m) => m.type)).toEqual(['counter']);
  }, 40_000);

  it('fires ProcBlocking for a real orphaned pytest, with the rule labels and annotations', async () => {
    const [alert] = await eventually(
      `ProcBlocking firing for ${key}`,
      async () => {
        const alerts = (await firing()).filter((a) => a.state === 'firing');
        return alerts.length > 0 ? alerts : undefined;
      },
      30_000,
      context,
    );
    expect(alert?.labels).toMatchObject({
      alertname: 'ProcBlocking',
      kind: 'proc_blocking',
      severity: 'warning',
      job: 'proc-watchdog',
      instance: `127.0.0.1:${exporterPort}`,
      key,
      program: 'pytest',
      orphaned: 'true',
    });
    expect(alert?.annotations.summary).toMatch(
      new RegExp(`^pytest process ${key} on 127\\.0\\.0\\.1:${exporterPort} has run for \\d`),
    );
  }, 40_000);

  it('Alertmanager shows one alert when Prometheus and watch --alertmanager both send it', async () => {
    const inAm = async (): Promise<AmAlert[]> =>
      getJson<AmAlert[]>(`${amUrl}/api/v2/alerts?filter=${encodeURIComponent(`key="${key}"`)}`);
    // First Prometheus's alert (its description says "on that host")...
    await eventually(
      'Prometheus to deliver ProcBlocking to Alertmanager',
      async () =>
        (await inAm()).some((a) => a.annotations.description?.endsWith('on that host.')) || undefined,
      30_000,
      context,
    );
    watch = start(process.execPath, [
      cli,
      'watch',
      '--interval',
      '1',
      '--age-min',
      '0',
      '--alertmanager',
      amUrl,
      '--alert-label',
      `instance=127.0.0.1:${exporterPort}`,
    ]);
    // ...then the watch's push updates that same alert (its description says "on its host"):
    // had the labels differed, Alertmanager would hold two alerts for this key.
    const alerts = await eventually(
      'the watch to update the same alert in Alertmanager',
      async () => {
        const all = await inAm();
        return all.some((a) => a.annotations.description?.endsWith('on its host.')) ? all : undefined;
      },
      30_000,
      context,
    );
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.labels).toMatchObject({ alertname: 'ProcBlocking', key, job: 'proc-watchdog' });
    expect(watch.output()).not.toMatch(/cannot deliver/);
    expect(watch.alive()).toBe(true);
    watch.kill();
  }, 60_000);

  it('clears ProcBlocking once the process is killed', async () => {
    process.kill(orphan.pid, 'SIGKILL');
    await eventually(
      `ProcBlocking for ${key} to clear`,
      async () => ((await firing()).length === 0 ? true : undefined),
      30_000,
      context,
    );
    const series = await getJson<{ data: { result: unknown[] } }>(
      `${promUrl}/api/v1/query?query=${encodeURIComponent(`proc_watchdog_process_age_seconds{key="${key}"}`)}`,
    );
    expect(series.data.result).toEqual([]);
    expect(exporter.alive()).toBe(true);
  }, 40_000);
});
