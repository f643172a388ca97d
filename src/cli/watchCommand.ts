// `proc-watchdog watch`: the Monitor in a terminal. Prints FIRE / REMIND / RECOVERY lines (or
// JSON lines) and stops cleanly on SIGINT / SIGTERM.
import { identityKey } from '../proc/types';
import { formatAge } from '../watchdog/format';
import type { Tick } from '../watchdog/monitor';
import { safeJson, sanitize } from '../watchdog/sanitize';
import type { SignalConfig } from '../watchdog/signals';
import type { AlertEvent, Signal } from '../watchdog/types';
import { pusherFromOptions } from './alertmanager';
import type { PusherDeps } from './alertmanager';
import { describeProcess } from './describe';
import { optionsHelp, parseOptions } from './args';
import type { CliIo } from './io';
import { factsText } from './diagnosisTable';
import { KeptScanner } from '../proc/keptScanner';
import { createMatcher } from '../watchdog/match';
import { emptyRunLengths, observeRuns, thresholdAdvice, tickObservation } from '../watchdog/runLengths';
import type { ThresholdAdvice } from '../watchdog/runLengths';
import { runMonitorLoop } from './monitorLoop';
import { processJson } from './scanReport';
import { EXIT, usageError } from './scanCommand';
import type { ScanFn } from './scanCommand';
import { configFromOptions, WATCH_OPTIONS, workspacesFromOptions } from './watchOptions';

export function watchHelp(): string[] {
  return [
    'usage: proc-watchdog watch [--json] [--proc-root DIR] [--pattern P]... [--age-min M] [--orphans-only] [--interval S] [--cooldown S] [--alertmanager URL]',
    '',
    'Scan every --interval seconds and print a line when a process starts blocking (FIRE), is',
    'still blocking after --cooldown (REMIND), or is gone (RECOVERY), with what it is doing',
    '(CPU since the last tick, ports held, stuck tests). With --json each FIRE/REMIND line',
    'carries the process as `scan --json` shows it. Ctrl-C stops.',
    'With --alertmanager, the blocking processes are also pushed as ProcBlocking alerts, re-sent',
    'every scan while they block and resolved when they are gone; a down Alertmanager is retried.',
    'When runs that ended on their own (launcher alive, not killed) took longer than --age-min,',
    'a line on stderr suggests a longer --age-min.',
    '',
    ...optionsHelp(WATCH_OPTIONS),
  ];
}

export interface WatchDeps {
  readonly scan?: ScanFn;
  /** Wall clock for the line prefix only (alerts run on the boot clock). */
  readonly now?: () => Date;
  /** Resolves when the watch should stop; default: SIGINT or SIGTERM. */
  readonly stopSignal?: Promise<unknown>;
  /** Seams of the --alertmanager pusher (fetch, timers, clock, backoff). */
  readonly alertmanager?: Omit<PusherDeps, 'log'>;
}

const REASON_TEXT = {
  exited: 'exited',
  killed: 'was killed from here',
  pidReused: 'is gone (pid reused)',
} as const;

/** One line per event; FIRE / REMIND describe the process from this tick's signal. */
export function eventLine(e: AlertEvent, signals: readonly Signal[], config: SignalConfig): string {
  if (e.type === 'recovery') {
    return `RECOVERY ${e.key} ${sanitize(e.command, 200)} ${REASON_TEXT[e.reason]} after ${formatAge(e.ranSeconds)}`;
  }
  return `${e.type === 'fire' ? 'FIRE' : 'REMIND'} ${e.key} ${eventDetail(e, signals, config)}`;
}

function eventDetail(e: AlertEvent, signals: readonly Signal[], config: SignalConfig): string {
  const signal = signals.find((s) => s.key === e.key);
  return signal === undefined ? `pid ${e.pid}` : describeProcess(signal.sample, config);
}

/** The threshold advice (issue 11 item 7), as the editor words it but naming the CLI option. */
function adviceLine(a: ThresholdAdvice): string {
  return `runs here that ended on their own took up to ${formatAge(a.longestSeconds)}, longer than --age-min ${a.ageMinutes}: consider --age-min ${a.suggestedMinutes}`;
}

/** A `watch --json` line: the event, and for FIRE / REMIND the same detail as the text line. */
function eventRecord(
  e: AlertEvent,
  signals: readonly Signal[],
  config: SignalConfig,
  time: string,
): Record<string, unknown> {
  const detail = e.type === 'recovery' ? {} : { detail: eventDetail(e, signals, config) };
  return { time, ...e, ...detail };
}

export async function watchCommand(
  args: readonly string[],
  io: CliIo,
  deps: WatchDeps = {},
): Promise<number> {
  const options = parseOptions(args, WATCH_OPTIONS);
  if (typeof options === 'string') return usageError(io, 'watch', options);
  if (options.help) {
    watchHelp().forEach((l) => io.stdout(l));
    return EXIT.ok;
  }
  const config = await configFromOptions(options);
  if (typeof config === 'string') return usageError(io, 'watch', config);
  // One scanner for the whole watch: CPU percent is measured from one tick to the next, and the
  // lineage of test children is remembered across ticks (issue 13).
  const workspaces = workspacesFromOptions(options);
  const scanner =
    deps.scan === undefined ? new KeptScanner({ createMatcher, workspaces: () => workspaces }) : null;
  const scan: ScanFn = deps.scan ?? ((c) => scanner!.scan(c));
  const now = deps.now ?? (() => new Date());
  const json = options.flags.has('--json');
  const stamp = (): string =>
    now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z');
  const pusher = pusherFromOptions(options, {
    log: (line) => io.stderr(`${stamp()} ${line}`),
    ...deps.alertmanager,
  });
  if (typeof pusher === 'string') return usageError(io, 'watch', pusher);

  // Fail fast on a proc root that cannot be read at all; later failures are reported and survived.
  const first = await scan(config);
  if (!first.ok) {
    scanner?.dispose();
    return usageError(io, 'watch', first.error ?? `cannot read ${config.procRoot}`);
  }

  const threshold = config.ageMinutes > 0 ? `older than ${formatAge(config.ageMinutes * 60)}` : 'of any age';
  if (!json) {
    io.stderr(
      `watching ${sanitize(config.procRoot, 200)} every ${config.intervalSeconds}s for ${sanitize(config.patterns.join(', '), 200)} ${threshold}` +
        `${config.orphansOnly ? ' (orphans only)' : ''}; Ctrl-C to stop`,
    );
    if (pusher !== null) io.stderr(`pushing ProcBlocking alerts to ${pusher.url}`);
  }
  let lastError: string | null = null;
  let firstTick = true;
  // Run lengths live as long as this watch (the editor keeps them in workspaceState).
  let runLengths = emptyRunLengths();
  let advised = 0;
  const onTick = (tick: Tick): void => {
    pusher?.onTick(tick);
    runLengths = observeRuns(runLengths, tickObservation(tick));
    const advice = thresholdAdvice(runLengths, tick.config.ageMinutes);
    if (advice !== null && advice.suggestedMinutes !== advised) io.stderr(`${stamp()} ${adviceLine(advice)}`);
    advised = advice?.suggestedMinutes ?? 0;
    if (!tick.scan.ok) {
      const error = tick.scan.error ?? 'scan failed';
      if (error !== lastError)
        io.stderr(`${stamp()} scan failed: ${sanitize(error, 300)} (nothing recovers until it works again)`);
      lastError = error;
      return;
    }
    if (lastError !== null) io.stderr(`${stamp()} scanning works again`);
    lastError = null;
    const samples = new Map(tick.scan.samples.map((s) => [identityKey(s), s]));
    for (const e of tick.events) {
      const sample = e.type === 'recovery' ? undefined : samples.get(e.key);
      if (json) {
        const process = sample === undefined ? {} : { process: processJson(sample) };
        io.stdout(safeJson({ ...eventRecord(e, tick.signals, tick.config, stamp()), ...process }));
      } else {
        const facts = sample === undefined ? '' : factsText(sample);
        io.stdout(`${stamp()} ${eventLine(e, tick.signals, tick.config)}${facts === '' ? '' : ` ${facts}`}`);
      }
    }
    if (firstTick && !json) {
      const blocking = tick.signals.filter((s) => s.active).length;
      io.stderr(`${stamp()} ${tick.signals.length} matched, ${blocking} blocking`);
    }
    firstTick = false;
  };
  await runMonitorLoop({ config, first, scan, onTick, io, stamp, stopSignal: deps.stopSignal });
  pusher?.dispose();
  scanner?.dispose();
  if (!json) io.stderr('stopped');
  return EXIT.ok;
}
