// `proc-watchdog scan`: one scan, printed as a table or as the JSON contract.
import { DiagnosingScanner, SAMPLE_AFTER_MS } from '../proc/diagnosingScanner';
import type { DiagnosisOptions } from '../proc/diagnosingScanner';
import type { ScanResult } from '../proc/types';
import { createMatcher } from '../watchdog/match';
import { buildSignals } from '../watchdog/signals';
import { safeJson, sanitize } from '../watchdog/sanitize';
import type { WatchdogConfig } from '../watchdog/types';
import { optionsHelp, parseOptions } from './args';
import type { CliIo } from './io';
import { scanJson, scanTable } from './scanReport';
import { configFromOptions, SCAN_OPTIONS, workspacesFromOptions } from './watchOptions';

/** DESIGN's command-line contract: 0 on a scan, 2 (one line on stderr) on bad arguments. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export type ScanFn = (config: WatchdogConfig, options?: DiagnosisOptions) => Promise<ScanResult>;

/** The reader with diagnosis, one-shot (no fd kept), configured from a WatchdogConfig. */
export const procScan: ScanFn = async (config, options = {}) => {
  const scanner = new DiagnosingScanner({ procRoot: config.procRoot, maxCachedFds: 0 });
  try {
    return await scanner.scan(createMatcher(config.patterns), config.reapers, {
      testChildren: config.testChildren,
      ...options,
    });
  } finally {
    scanner.dispose();
  }
};

export function scanHelp(): string[] {
  return [
    'usage: proc-watchdog scan [--json] [--proc-root DIR] [--pattern P]... [--age-min M] [--orphans-only] [--workspace DIR]... [--no-sample] [--no-test-children]',
    '',
    'Scan once and list the processes running a watched program, oldest first; "!" marks the',
    'ones that block (older than the threshold). Under each: its run (session, cwd, branch),',
    'what it holds (ports, files, GPUs), its tests and workers; CPU is measured over 0.5 s.',
    'Processes tests left behind (not pytest, tied to a run by evidence) are listed too.',
    'Exit 0 after a scan, 2 on bad arguments or an unreadable proc root.',
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
  const result = await scan(config, {
    sampleAfterMs: options.flags.has('--no-sample') ? 0 : SAMPLE_AFTER_MS,
    workspaces: workspacesFromOptions(options),
  });
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
