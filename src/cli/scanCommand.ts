// `proc-watchdog scan`: one scan, printed as a table or as the JSON contract.
import { scanProc } from '../proc/reader';
import type { ScanResult } from '../proc/types';
import { createMatcher } from '../watchdog/match';
import { buildSignals } from '../watchdog/signals';
import { safeJson, sanitize } from '../watchdog/sanitize';
import type { WatchdogConfig } from '../watchdog/types';
import { optionsHelp, parseOptions } from './args';
import type { CliIo } from './io';
import { scanJson, scanTable } from './scanReport';
import { configFromOptions, SCAN_OPTIONS } from './watchOptions';

/** DESIGN's command-line contract: 0 on a scan, 2 (one line on stderr) on bad arguments. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export type ScanFn = (config: WatchdogConfig) => Promise<ScanResult>;

/** The reader, one-shot, configured from a WatchdogConfig. */
export const procScan: ScanFn = (config) =>
  scanProc({ procRoot: config.procRoot, matcher: createMatcher(config.patterns), reapers: config.reapers });

export function scanHelp(): string[] {
  return [
    'usage: proc-watchdog scan [--json] [--proc-root DIR] [--pattern P]... [--age-min M] [--orphans-only]',
    '',
    'Scan once and list the processes running a watched program, oldest first; "!" marks the',
    'ones that block (older than the threshold). Exit 0 after a scan, 2 on bad arguments or an',
    'unreadable proc root.',
    '',
    ...optionsHelp(SCAN_OPTIONS),
  ];
}

export async function scanCommand(
  args: readonly string[],
  io: CliIo,
  scan: ScanFn = procScan,
): Promise<number> {
  const options = parseOptions(args, SCAN_OPTIONS);
  if (typeof options === 'string') return usageError(io, 'scan', options);
  if (options.help) {
    scanHelp().forEach((l) => io.stdout(l));
    return EXIT.ok;
  }
  const config = await configFromOptions(options);
  if (typeof config === 'string') return usageError(io, 'scan', config);
  const result = await scan(config);
  if (!result.ok) return usageError(io, 'scan', result.error ?? `cannot read ${config.procRoot}`);
  const signals = buildSignals(result.samples, config);
  if (options.flags.has('--json')) io.stdout(safeJson(scanJson(result, signals, config)));
  else
    scanTable(result, signals, config, io.isTTY ? (process.stdout.columns ?? 120) : 400).forEach((l) =>
      io.stdout(l),
    );
  return EXIT.ok;
}

/** One line on stderr, exit 2: what `proc-watchdog <cmd>` disliked. */
export function usageError(io: CliIo, command: string, message: string): number {
  io.stderr(`proc-watchdog ${command}: ${sanitize(message.split('\n')[0] ?? message, 500)}`);
  return EXIT.usage;
}
