// `proc-watchdog metrics`: its options and help, apart from the command so that `--help` and
// the other commands do not load prom-client (it costs ~100 ms of start-up; src/cli.ts imports
// the command itself lazily).
import { optionsHelp } from './args';
import type { OptionSpecs } from './args';
import { WATCH_OPTIONS } from './watchOptions';

const { '--json': _json, ...WATCH_WITHOUT_JSON } = WATCH_OPTIONS;

export const METRICS_OPTIONS: OptionSpecs = {
  '--listen': {
    kind: 'string',
    help: 'HOST:PORT  serve /metrics there (HOST defaults to 127.0.0.1; PORT 0 = any free port)',
  },
  '--allow-remote': {
    kind: 'flag',
    help: 'allow a --listen address that is not loopback (prints a warning)',
  },
  '--textfile': {
    kind: 'string',
    help: "PATH  rewrite PATH atomically after every scan (node_exporter's textfile collector); removed on stop",
  },
  '--openmetrics': {
    kind: 'flag',
    help: 'with neither --listen nor --textfile: print OpenMetrics, not classic text',
  },
  '--verbose': { kind: 'flag', help: 'one line per scan on stderr (start, end, duration, counts)' },
  ...WATCH_WITHOUT_JSON,
};

export function metricsHelp(): string[] {
  return [
    'usage: proc-watchdog metrics [--listen HOST:PORT] [--textfile PATH] [watch options]',
    '',
    'Export the watch to Prometheus: counts of matched, blocking and orphaned processes, one',
    'series per blocking process (key="pid:starttime"), scan duration and errors, build info.',
    'Scans run every --interval seconds; scrapes serve the last scan and never trigger one.',
    'WATCHDOG_PROC_AGE_MIN, WATCHDOG_PROC_PATTERNS and WATCHDOG_PROC_COOLDOWN_S are read from the',
    'environment (options win; the environment wins over --env-file). Rules for Prometheus:',
    'deploy/prometheus/rules.yml. Without --listen or --textfile: scan once and print.',
    '',
    ...optionsHelp(METRICS_OPTIONS),
  ];
}
