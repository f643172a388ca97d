// What the exporter knows, as plain data: a pure reducer (previous state, this scan, wall
// clock) -> next state, like alerts.ts. registry.ts turns the state into prom-client metrics;
// nothing here knows about HTTP, files or prom-client.
//
// Cardinality (issue 10): one series per blocking process only (there are few by nature),
// keyed `pid:starttime`; a process's series go with the first ok scan that does not see it
// blocking. A scan that could not read the proc root proves nothing about processes, so it
// keeps the rows of the last ok scan and only counts an error (the stale alert watches
// lastSuccessUnixSeconds).
import type { ScanResult } from '../proc/types';
import { shortCommand } from '../watchdog/format';
import type { Signal, WatchdogConfig } from '../watchdog/types';
import { DEFAULT_MAX_CHARS, sanitize } from '../watchdog/sanitize';

/** Longest exported command line (the shared sanitizer's default cap). */
const MAX_COMMAND_CHARS = DEFAULT_MAX_CHARS;
/** Program names and container ids: short by nature, a long one is suspicious. */
export const MAX_NAME_CHARS = 64;

/** One blocking process: label values (already sanitized) and its numbers. */
export interface ProcessRow {
  /** `pid:starttime`. */
  readonly key: string;
  readonly pid: number;
  /** The watched program it runs (the pattern that matched, e.g. "pytest"). */
  readonly program: string;
  readonly orphaned: boolean;
  /** Container id from its cgroup, '' when not in one (an empty label is no label). */
  readonly container: string;
  readonly ageSeconds: number;
  readonly cpuSeconds: number;
  /** Sanitized command line; null unless the exporter was told to expose command lines. */
  readonly command: string | null;
}

export type ReadErrorReason = 'vanished' | 'denied' | 'malformed';
export const READ_ERROR_REASONS: readonly ReadErrorReason[] = ['vanished', 'denied', 'malformed'];

export interface ExporterState {
  readonly scansTotal: number;
  /** Scans that could not read the proc root at all. */
  readonly scanErrorsTotal: number;
  /** Per-process reads skipped, summed over scans (DESIGN: counted, never logged one by one). */
  readonly readErrorsTotal: Readonly<Record<ReadErrorReason, number>>;
  readonly lastScanDurationSeconds: number;
  /** Unix seconds of the last ok scan; null before the first one. */
  readonly lastSuccessUnixSeconds: number | null;
  /** From the last ok scan. */
  readonly scannedProcesses: number;
  readonly matchedProcesses: number;
  readonly blockingProcesses: number;
  readonly orphanedProcesses: number;
  readonly rows: readonly ProcessRow[];
  /** The config the last scan ran with: Prometheus rules compare against these. */
  readonly intervalSeconds: number;
  readonly ageThresholdSeconds: number;
}

export interface ExporterOptions {
  /** Export sanitized command lines (--expose-cmdline); off by default. */
  readonly exposeCmdline: boolean;
}

export interface ScanInput {
  readonly scan: ScanResult;
  /** buildSignals(scan.samples, config): the same decision the watch and the editor make. */
  readonly signals: readonly Signal[];
  readonly config: Pick<WatchdogConfig, 'intervalSeconds' | 'ageMinutes'>;
  /** Wall clock when the scan ended, Unix seconds (the only wall time the exporter shows). */
  readonly wallSeconds: number;
}

export function emptyExporterState(
  config: Pick<WatchdogConfig, 'intervalSeconds' | 'ageMinutes'>,
): ExporterState {
  return {
    scansTotal: 0,
    scanErrorsTotal: 0,
    readErrorsTotal: { vanished: 0, denied: 0, malformed: 0 },
    lastScanDurationSeconds: 0,
    lastSuccessUnixSeconds: null,
    scannedProcesses: 0,
    matchedProcesses: 0,
    blockingProcesses: 0,
    orphanedProcesses: 0,
    rows: [],
    intervalSeconds: config.intervalSeconds,
    ageThresholdSeconds: config.ageMinutes * 60,
  };
}

export function reduceExporter(
  prev: ExporterState,
  input: ScanInput,
  options: ExporterOptions,
): ExporterState {
  const { scan, config } = input;
  const common = {
    ...prev,
    scansTotal: prev.scansTotal + 1,
    lastScanDurationSeconds: Math.round(Math.max(0, scan.stats.durationMs) * 1000) / 1e6,
    intervalSeconds: config.intervalSeconds,
    ageThresholdSeconds: config.ageMinutes * 60,
  };
  if (!scan.ok) return { ...common, scanErrorsTotal: prev.scanErrorsTotal + 1 };
  const blocking = input.signals.filter((s) => s.active);
  return {
    ...common,
    readErrorsTotal: {
      vanished: prev.readErrorsTotal.vanished + scan.stats.vanished,
      denied: prev.readErrorsTotal.denied + scan.stats.denied,
      malformed: prev.readErrorsTotal.malformed + scan.stats.malformed,
    },
    lastSuccessUnixSeconds: input.wallSeconds,
    scannedProcesses: scan.stats.processes,
    matchedProcesses: scan.samples.length,
    blockingProcesses: blocking.length,
    orphanedProcesses: scan.samples.filter((s) => s.orphaned).length,
    rows: blocking.map((s) => processRow(s, options)),
  };
}

export function processRow(signal: Signal, options: ExporterOptions): ProcessRow {
  const s = signal.sample;
  return {
    key: signal.key,
    pid: signal.pid,
    program: sanitize(s.pattern, MAX_NAME_CHARS),
    orphaned: s.orphaned,
    container: s.containerId === null ? '' : sanitize(s.containerId, MAX_NAME_CHARS),
    // The boot clock and stat times tick in 1/100 s (USER_HZ): more digits are float noise.
    ageSeconds: centi(s.ageSeconds),
    cpuSeconds: centi(s.cpuSeconds),
    // shortCommand first (the innermost program and its arguments, as the tree shows it), then
    // the sanitizer; the cap bounds shortCommand's work too.
    command: options.exposeCmdline
      ? sanitize(shortCommand(s.argv, MAX_COMMAND_CHARS * 2), MAX_COMMAND_CHARS)
      : null,
  };
}

function centi(seconds: number): number {
  return Number.isFinite(seconds) && seconds > 0 ? Math.round(seconds * 100) / 100 : 0;
}
