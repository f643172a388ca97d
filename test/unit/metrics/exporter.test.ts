// The exporter's model (reducer) and its exposition through prom-client, both formats.
import { describe, expect, it } from 'vitest';
import type { ScanResult } from '../../../src/proc/types';
import { emptyExporterState, reduceExporter } from '../../../src/metrics/model';
import type { ExporterState } from '../../../src/metrics/model';
import { MetricsExposition } from '../../../src/metrics/registry';
import { buildSignals } from '../../../src/watchdog/signals';
import { makeSample } from '../../helpers/samples';

const CONFIG = { intervalSeconds: 30, ageMinutes: 60, orphansOnly: false };
const OLD = makeSample({ pid: 100, starttime: 5000, ageSeconds: 4000.123456, cpuSeconds: 12.3400001 });
const YOUNG = makeSample({ pid: 101, starttime: 6000, ageSeconds: 60, orphaned: false, parent: null });
const CONTAINED = makeSample({
  pid: 102,
  starttime: 7000,
  ageSeconds: 7200,
  containerId: 'abc123',
  argv: ['pytest', '-k', 'evil\u202Eeman', '\x1b[2J'],
});

function scan(samples = [OLD, YOUNG, CONTAINED], over: Partial<ScanResult> = {}): ScanResult {
  return {
    ok: true,
    uptimeSeconds: 10_000,
    samples,
    stats: {
      processes: 2000,
      matched: samples.length,
      vanished: 2,
      denied: 1,
      malformed: 0,
      durationMs: 12.5,
    },
    ...over,
  };
}

function step(prev: ExporterState, result: ScanResult, exposeCmdline = false, wallSeconds = 1_700_000_000) {
  return reduceExporter(
    prev,
    { scan: result, signals: buildSignals(result.samples, CONFIG), config: CONFIG, wallSeconds },
    { exposeCmdline },
  );
}

describe('reduceExporter', () => {
  it('counts matched, blocking, orphaned; one row per blocking process only', () => {
    const s = step(emptyExporterState(CONFIG), scan());
    expect(s).toMatchObject({
      scansTotal: 1,
      scanErrorsTotal: 0,
      scannedProcesses: 2000,
      matchedProcesses: 3,
      blockingProcesses: 2,
      orphanedProcesses: 2,
      lastScanDurationSeconds: 0.0125,
      lastSuccessUnixSeconds: 1_700_000_000,
      readErrorsTotal: { vanished: 2, denied: 1, malformed: 0 },
      intervalSeconds: 30,
      ageThresholdSeconds: 3600,
    });
    expect(s.rows.map((r) => r.key)).toEqual(['100:5000', '102:7000']);
    expect(s.rows[0]).toEqual({
      key: '100:5000',
      pid: 100,
      program: 'pytest',
      orphaned: true,
      container: '',
      ageSeconds: 4000.12,
      cpuSeconds: 12.34,
      command: null,
    });
    expect(s.rows[1]?.container).toBe('abc123');
  });

  it('a process gone from one ok scan loses its series in that scan; counters accumulate', () => {
    const one = step(emptyExporterState(CONFIG), scan());
    const two = step(one, scan([YOUNG, CONTAINED]));
    expect(two.rows.map((r) => r.key)).toEqual(['102:7000']);
    expect(two.scansTotal).toBe(2);
    expect(two.readErrorsTotal).toEqual({ vanished: 4, denied: 2, malformed: 0 });
  });

  it('a failed scan keeps the last rows and success time, and counts an error', () => {
    const one = step(emptyExporterState(CONFIG), scan());
    const failed = step(
      one,
      scan([], { ok: false, error: 'cannot read /proc: EACCES' }),
      false,
      1_700_000_300,
    );
    expect(failed.rows).toEqual(one.rows);
    expect(failed.lastSuccessUnixSeconds).toBe(1_700_000_000);
    expect(failed.scanErrorsTotal).toBe(1);
    expect(failed.scansTotal).toBe(2);
  });

  it('command lines only with exposeCmdline, and then sanitized', () => {
    expect(step(emptyExporterState(CONFIG), scan()).rows.every((r) => r.command === null)).toBe(true);
    const rows = step(emptyExporterState(CONFIG), scan(), true).rows;
    expect(rows[1]?.command).toBe('pytest -k evil\\u{202E}eman \\x1B[2J');
  });
});

describe('MetricsExposition', () => {
  const build = { version: '9.9.9', nodejs: 'v20.0.0' };

  it('classic text: process series with their labels, counters with _total, no timestamps', async () => {
    const exposition = new MetricsExposition(build, { exposeCmdline: false });
    exposition.update(step(emptyExporterState(CONFIG), scan()));
    const text = await exposition.render('prometheus');
    expect(text).toContain(
      'proc_watchdog_process_age_seconds{key="100:5000",program="pytest",orphaned="true"} 4000.12\n',
    );
    expect(text).toContain(
      'proc_watchdog_process_age_seconds{key="102:7000",program="pytest",orphaned="true",container="abc123"} 7200\n',
    );
    expect(text).toContain(
      'proc_watchdog_process_cpu_seconds_total{key="100:5000",program="pytest",orphaned="true"} 12.34\n',
    );
    expect(text).not.toContain('101:6000');
    expect(text).not.toContain('proc_watchdog_process_info');
    expect(text).not.toContain('cmdline');
    expect(text).toContain('# TYPE proc_watchdog_scans_total counter\nproc_watchdog_scans_total 1\n');
    expect(text).toContain('proc_watchdog_process_read_errors_total{reason="denied"} 1\n');
    expect(text).toContain('proc_watchdog_build_info{version="9.9.9",nodejs="v20.0.0"} 1');
    expect(text).not.toContain('# EOF');
    // Every sample line is `name{labels} value`: no third field (a timestamp).
    for (const line of text.split('\n').filter((l) => l !== '' && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-z_]+(?:\{.*\})? [-+0-9.eE]+$/);
    }
  });

  it('OpenMetrics: counter families without _total, samples with it, ends in # EOF', async () => {
    const exposition = new MetricsExposition(build, { exposeCmdline: false });
    exposition.update(step(emptyExporterState(CONFIG), scan()));
    const text = await exposition.render('openmetrics');
    expect(text).toContain('# TYPE proc_watchdog_scans counter\nproc_watchdog_scans_total 1\n');
    expect(text.endsWith('# EOF\n')).toBe(true);
    expect(text).not.toContain('\n\n');
    // Rendering OpenMetrics does not break the classic format (prom-client renames counters in
    // place; each format has its own registry).
    expect(await exposition.render('prometheus')).toContain('# TYPE proc_watchdog_scans_total counter');
  });

  it('--expose-cmdline: an info series per blocking process with the sanitized command line', async () => {
    const exposition = new MetricsExposition(build, { exposeCmdline: true });
    exposition.update(step(emptyExporterState(CONFIG), scan(), true));
    const text = await exposition.render('prometheus');
    expect(text).toContain(
      'proc_watchdog_process_info{key="102:7000",program="pytest",orphaned="true",container="abc123",cmdline="pytest -k evil\\\\u{202E}eman \\\\x1B[2J"} 1',
    );
    expect(text).not.toContain('\u202e');
    expect(text).not.toContain('\u001b');
  });

  it('renders once per scan: scrapes between two updates share one render', async () => {
    const exposition = new MetricsExposition(build, { exposeCmdline: false });
    const first = step(emptyExporterState(CONFIG), scan());
    exposition.update(first);
    const a = exposition.render('prometheus');
    expect(exposition.render('prometheus')).toBe(a);
    exposition.update(step(first, scan([YOUNG])));
    const b = await exposition.render('prometheus');
    expect(b).not.toBe(await a);
    expect(b).not.toContain('proc_watchdog_process_age_seconds{');
    expect(b).toContain('proc_watchdog_blocking_processes 0');
  });
});
