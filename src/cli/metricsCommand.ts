// `proc-watchdog metrics`: the same Monitor loop as `watch`, exported to Prometheus. Scans run
// on the interval (the Monitor arms the next one only after a scan ends, so scans never
// overlap); each tick updates the exporter state, which scrapes (--listen) and the textfile
// (--textfile) read. Without --listen or --textfile: one scan, printed, for `| promtool check
// metrics` and for a look.
import { version } from '../../package.json';
import { reduceExporter, emptyExporterState } from '../metrics/model';
import type { ExporterState } from '../metrics/model';
import { isLoopback, parseListenAddress } from '../metrics/listenAddress';
import type { ListenAddress } from '../metrics/listenAddress';
import { MetricsExposition } from '../metrics/registry';
import type { ExpositionFormat } from '../metrics/registry';
import { buildSignals } from '../watchdog/signals';
import type { Tick } from '../watchdog/monitor';
import type { WatchdogConfig } from '../watchdog/types';
import type { ScanResult } from '../proc/types';
import type { PusherDeps } from './alertmanager';
import { pusherFromOptions } from './alertmanager';
import { parseOptions } from './args';
import type { CliIo } from './io';
import type { MetricsServer } from './metricsServer';
import { startMetricsServer } from './metricsServer';
import { KeptScanner } from './keptScanner';
import { EXIT, usageError } from './scanCommand';
import type { ScanFn } from './scanCommand';
import { removeTextfile, writeTextfileAtomic } from './textfile';
import { runMonitorLoop } from './monitorLoop';
import { METRICS_OPTIONS, metricsHelp } from './metricsOptions';
import { configFromOptions } from './watchOptions';

export interface MetricsDeps {
  readonly scan?: ScanFn;
  /** Where WATCHDOG_PROC_* come from; default process.env. */
  readonly environment?: NodeJS.ProcessEnv;
  /** Wall clock, ms. */
  readonly now?: () => number;
  /** Resolves when the exporter should stop; default: SIGINT or SIGTERM. */
  readonly stopSignal?: Promise<unknown>;
  /** Called once serving, with where (tests use port 0). */
  readonly onListening?: (server: MetricsServer) => void;
  readonly alertmanager?: Omit<PusherDeps, 'log'>;
}

export async function metricsCommand(
  args: readonly string[],
  io: CliIo,
  deps: MetricsDeps = {},
): Promise<number> {
  const options = parseOptions(args, METRICS_OPTIONS);
  if (typeof options === 'string') return usageError(io, 'metrics', options);
  if (options.help) {
    metricsHelp().forEach((l) => io.stdout(l));
    return EXIT.ok;
  }
  const config = await configFromOptions(options, deps.environment ?? process.env);
  if (typeof config === 'string') return usageError(io, 'metrics', config);
  const now = deps.now ?? Date.now;
  const stamp = (ms = now()): string => new Date(ms).toISOString();

  const listenText = options.strings.get('--listen');
  let listen: ListenAddress | null = null;
  if (listenText !== undefined) {
    const parsed = parseListenAddress(listenText);
    if (typeof parsed === 'string') return usageError(io, 'metrics', `--listen: ${parsed}`);
    if (!isLoopback(parsed.host) && !options.flags.has('--allow-remote')) {
      return usageError(
        io,
        'metrics',
        `--listen ${listenText} is not a loopback address: add --allow-remote to serve process data to the network`,
      );
    }
    listen = parsed;
  }
  const textfile = options.strings.get('--textfile') ?? null;
  const pusher = pusherFromOptions(options, {
    log: (line) => io.stderr(`${stamp()} ${line}`),
    ...deps.alertmanager,
  });
  if (typeof pusher === 'string') return usageError(io, 'metrics', pusher);

  const exporterOptions = { exposeCmdline: options.flags.has('--expose-cmdline') };
  const exposition = new MetricsExposition(
    { version, nodejs: process.version },
    exporterOptions,
    emptyExporterState(config),
  );
  const verbose = options.flags.has('--verbose');
  const kept = deps.scan === undefined ? new KeptScanner() : null;
  const baseScan: ScanFn = deps.scan ?? ((c) => kept!.scan(c));
  const timedScan: ScanFn = async (c) => {
    const started = now();
    const result = await baseScan(c);
    if (verbose) io.stderr(scanLine(stamp(started), stamp(), result));
    return result;
  };

  // Fail fast on a proc root that cannot be read at all; later failures are counted and survived.
  const first = await timedScan(config);
  if (!first.ok) {
    kept?.dispose();
    return usageError(io, 'metrics', first.error ?? `cannot read ${config.procRoot}`);
  }
  const apply = (state: ExporterState, scan: ScanResult, c: WatchdogConfig): ExporterState =>
    reduceExporter(
      state,
      { scan, signals: buildSignals(scan.samples, c), config: c, wallSeconds: now() / 1000 },
      exporterOptions,
    );

  // Shown before serving: a scrape never sees an exporter that has not scanned yet.
  exposition.update(apply(exposition.current(), first, config));
  if (listen === null && textfile === null && pusher === null) {
    const format: ExpositionFormat = options.flags.has('--openmetrics') ? 'openmetrics' : 'prometheus';
    kept?.dispose();
    io.stdout((await exposition.render(format)).replace(/\n$/, ''));
    return EXIT.ok;
  }

  let server: MetricsServer | null = null;
  if (listen !== null) {
    if (!isLoopback(listen.host)) {
      io.stderr(
        `warning: serving on ${listen.host}, not loopback: anyone who can reach this port sees which processes run here` +
          ' (put a firewall or an authenticating proxy in front)',
      );
    }
    try {
      server = await startMetricsServer(listen, exposition);
    } catch (err) {
      kept?.dispose();
      io.stderr(
        `proc-watchdog metrics: cannot listen on ${listenText}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
      return EXIT.failure;
    }
    const host = server.host.includes(':') ? `[${server.host}]` : server.host;
    io.stderr(
      `serving http://${host}:${server.port}/metrics every ${config.intervalSeconds}s; Ctrl-C to stop`,
    );
    deps.onListening?.(server);
  }

  let lastProblem: string | null = null;
  const problem = (text: string | null): void => {
    if (text !== null && text !== lastProblem) io.stderr(`${stamp()} ${text}`);
    else if (text === null && lastProblem !== null) io.stderr(`${stamp()} working again`);
    lastProblem = text;
  };
  // Textfile writes are chained: a slow disk never has two writers racing for the rename.
  let writing: Promise<void> = Promise.resolve();
  const onTick = (tick: Tick): void => {
    // The first tick is the first scan handed over (already shown above).
    if (tick.scan !== first) exposition.update(apply(exposition.current(), tick.scan, tick.config));
    pusher?.onTick(tick);
    if (textfile !== null) {
      writing = writing
        .then(() => exposition.render('prometheus'))
        .then((text) => writeTextfileAtomic(textfile, text))
        .then((error) => problem(error ?? (tick.scan.ok ? null : (tick.scan.error ?? 'scan failed'))))
        .catch((err: unknown) => problem(String(err)));
    } else problem(tick.scan.ok ? null : (tick.scan.error ?? 'scan failed'));
  };
  await runMonitorLoop({
    config,
    first,
    scan: timedScan,
    onTick,
    io,
    stamp,
    stopSignal: deps.stopSignal,
  });
  kept?.dispose();
  pusher?.dispose();
  await server?.close();
  await writing;
  if (textfile !== null) await removeTextfile(textfile);
  io.stderr('stopped');
  return EXIT.ok;
}

function scanLine(start: string, end: string, scan: ScanResult): string {
  const { stats } = scan;
  const counts = scan.ok
    ? `${stats.processes} processes, ${stats.matched} matched`
    : `failed: ${scan.error ?? 'unknown error'}`;
  return `scan start=${start} end=${end} ${stats.durationMs.toFixed(1)} ms: ${counts}`;
}
