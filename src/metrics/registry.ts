// The exporter's metrics as prom-client objects, in both exposition formats. Each metric reads
// the current ExporterState in its collect() (the prom-client way for an exporter: values are
// computed at scrape time from the last scan, scrapes never trigger a scan).
//
// What prom-client 15 cannot do, and is done here by hand:
// - One registry cannot serve both formats: Registry.metrics() in OpenMetrics mode renames
//   every counter in place (strips `_total`, prom-client registry.js standardizeCounterName),
//   so a classic render after an OpenMetrics one would lose the suffix. Each format gets a
//   registry of its own with its own metric objects, fed from the same state.
// - Rendering is cached per state generation: 100 scrapes between two scans cost one render.
// - No content negotiation: see negotiate.ts.
import { Counter, Gauge, Registry } from 'prom-client';
import type { OpenMetricsContentType, PrometheusContentType } from 'prom-client';
import type { ExporterOptions, ExporterState } from './model';
import { emptyExporterState, READ_ERROR_REASONS } from './model';

export type ExpositionFormat = 'prometheus' | 'openmetrics';

export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  prometheus: Registry.PROMETHEUS_CONTENT_TYPE,
  openmetrics: Registry.OPENMETRICS_CONTENT_TYPE,
};

/** Metric names, shared with deploy/prometheus/rules.yml and the README. */
export const METRIC = {
  processAge: 'proc_watchdog_process_age_seconds',
  processCpu: 'proc_watchdog_process_cpu_seconds_total',
  processInfo: 'proc_watchdog_process_info',
  matched: 'proc_watchdog_matched_processes',
  blocking: 'proc_watchdog_blocking_processes',
  orphaned: 'proc_watchdog_orphaned_processes',
  scanned: 'proc_watchdog_scanned_processes',
  scans: 'proc_watchdog_scans_total',
  scanErrors: 'proc_watchdog_scan_errors_total',
  readErrors: 'proc_watchdog_process_read_errors_total',
  scanDuration: 'proc_watchdog_scan_duration_seconds',
  lastSuccess: 'proc_watchdog_last_scan_success_timestamp_seconds',
  interval: 'proc_watchdog_scan_interval_seconds',
  threshold: 'proc_watchdog_age_threshold_seconds',
  buildInfo: 'proc_watchdog_build_info',
} as const;

const PROCESS_LABELS = ['key', 'program', 'orphaned', 'container'] as const;
type ProcessLabel = (typeof PROCESS_LABELS)[number];

export interface BuildInfo {
  readonly version: string;
  readonly nodejs: string;
}

type AnyRegistry = Registry<PrometheusContentType> | Registry<OpenMetricsContentType>;

export class MetricsExposition {
  private state: ExporterState;
  private generation = 0;
  private readonly registries: Record<ExpositionFormat, AnyRegistry>;
  private readonly cache = new Map<ExpositionFormat, { generation: number; text: Promise<string> }>();

  constructor(
    private readonly build: BuildInfo,
    private readonly options: ExporterOptions,
    initial: ExporterState = emptyExporterState({ intervalSeconds: 30, ageMinutes: 60 }),
  ) {
    this.state = initial;
    this.registries = {
      prometheus: this.makeRegistry(new Registry<PrometheusContentType>()),
      openmetrics: this.makeRegistry(openMetricsRegistry()),
    };
  }

  /** The state of the scan that just ended; the next scrape shows it. */
  update(state: ExporterState): void {
    this.state = state;
    this.generation++;
  }

  current(): ExporterState {
    return this.state;
  }

  /** The exposition text of the current state, in one format (cached until the next update). */
  render(format: ExpositionFormat): Promise<string> {
    const hit = this.cache.get(format);
    if (hit !== undefined && hit.generation === this.generation) return hit.text;
    const text = this.registries[format].metrics();
    this.cache.set(format, { generation: this.generation, text });
    // A failed render is not cached (the next scrape tries again).
    text.catch(() => this.cache.delete(format));
    return text;
  }

  private makeRegistry<R extends AnyRegistry>(registry: R): R {
    const registers = [registry] as Registry[];
    const read = (): ExporterState => this.state;
    const build = this.build;
    const gauge = (name: string, help: string, value: (s: ExporterState) => number): void => {
      new Gauge({
        name,
        help,
        registers,
        collect(this: Gauge) {
          this.set(value(read()));
        },
      });
    };
    const counter = (name: string, help: string, value: (s: ExporterState) => number): void => {
      new Counter({
        name,
        help,
        registers,
        collect(this: Counter) {
          this.reset();
          this.inc(value(read()));
        },
      });
    };

    new Gauge({
      name: METRIC.processAge,
      help: 'Age of a blocking process (one series per blocking process, key="pid:starttime").',
      labelNames: PROCESS_LABELS,
      registers,
      collect(this: Gauge<ProcessLabel>) {
        this.reset();
        for (const row of read().rows) this.set(processLabels(row), row.ageSeconds);
      },
    });
    new Counter({
      name: METRIC.processCpu,
      help: 'CPU time (user + system) a blocking process has used since it started.',
      labelNames: PROCESS_LABELS,
      registers,
      collect(this: Counter<ProcessLabel>) {
        this.reset();
        for (const row of read().rows) this.inc(processLabels(row), row.cpuSeconds);
      },
    });
    if (this.options.exposeCmdline) {
      new Gauge({
        name: METRIC.processInfo,
        help: 'Sanitized command line of a blocking process (only with --expose-cmdline).',
        labelNames: [...PROCESS_LABELS, 'cmdline'],
        registers,
        collect(this: Gauge<ProcessLabel | 'cmdline'>) {
          this.reset();
          for (const row of read().rows) {
            if (row.command !== null) this.set({ ...processLabels(row), cmdline: row.command }, 1);
          }
        },
      });
    }
    gauge(
      METRIC.matched,
      'Processes running a watched program, in the last scan.',
      (s) => s.matchedProcesses,
    );
    gauge(
      METRIC.blocking,
      'Matched processes older than the age threshold (and orphaned, with --orphans-only).',
      (s) => s.blockingProcesses,
    );
    gauge(
      METRIC.orphaned,
      'Matched processes re-parented onto a reaper (init, tini, systemd, ...).',
      (s) => s.orphanedProcesses,
    );
    gauge(METRIC.scanned, 'Processes (pid directories) seen by the last scan.', (s) => s.scannedProcesses);
    counter(METRIC.scans, 'Scans of the proc root, ok or not.', (s) => s.scansTotal);
    counter(
      METRIC.scanErrors,
      'Scans that could not read the proc root at all (such a scan changes no process series).',
      (s) => s.scanErrorsTotal,
    );
    new Counter({
      name: METRIC.readErrors,
      help: 'Processes skipped by a scan: vanished mid-read, denied (hidepid, other users), malformed.',
      labelNames: ['reason'],
      registers,
      collect(this: Counter<'reason'>) {
        this.reset();
        const totals = read().readErrorsTotal;
        for (const reason of READ_ERROR_REASONS) this.inc({ reason }, totals[reason]);
      },
    });
    gauge(METRIC.scanDuration, 'Duration of the last scan.', (s) => s.lastScanDurationSeconds);
    gauge(
      METRIC.lastSuccess,
      'Unix time of the last scan that could read the proc root (0 before the first).',
      (s) => s.lastSuccessUnixSeconds ?? 0,
    );
    gauge(METRIC.interval, 'Configured seconds between scans.', (s) => s.intervalSeconds);
    gauge(
      METRIC.threshold,
      'Configured age after which a match blocks (0 = any age).',
      (s) => s.ageThresholdSeconds,
    );
    new Gauge({
      name: METRIC.buildInfo,
      help: 'Always 1; labelled with the exporter version and the Node.js version running it.',
      labelNames: ['version', 'nodejs'],
      registers,
      collect(this: Gauge<'version' | 'nodejs'>) {
        this.set({ version: build.version, nodejs: build.nodejs }, 1);
      },
    });
    return registry;
  }
}

function openMetricsRegistry(): Registry<OpenMetricsContentType> {
  // The typings declare no constructor argument; setContentType is the typed way.
  const registry = new Registry<OpenMetricsContentType>();
  registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
  return registry;
}

function processLabels(row: ExporterState['rows'][number]): Partial<Record<ProcessLabel, string>> {
  const labels: Partial<Record<ProcessLabel, string>> = {
    key: row.key,
    program: row.program,
    orphaned: String(row.orphaned),
  };
  // Prometheus treats an empty label as no label; not writing it keeps the exposition honest.
  if (row.container !== '') labels.container = row.container;
  return labels;
}
