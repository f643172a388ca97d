// `proc-watchdog bench`: collector's in-process benchmark of the reader, summarised.
import { runBench } from './bench';
import type { BenchResult } from './bench';
import { optionsHelp, parseOptions } from './args';
import type { OptionSpecs } from './args';
import type { CliIo } from './io';
import { EXIT, usageError } from './scanCommand';

const BENCH_OPTIONS: OptionSpecs = {
  '--proc-root': { kind: 'string', help: 'DIR  proc root to scan (default /proc)' },
  '--runs': { kind: 'number', help: 'N  steady-state scans after the cold one (default 20)' },
  '--pattern': { kind: 'list', help: 'P  program to match, repeatable (default pytest)' },
  '--json': { kind: 'flag', help: 'print the result as one JSON object' },
  '--floor': { kind: 'string', help: 'PATH  compiled scripts/cfloor.c, run between interleaved scans' },
};

export function benchHelp(): string[] {
  return [
    'usage: proc-watchdog bench [--proc-root DIR] [--runs N] [--json]',
    '',
    'Time one cold scan and N steady-state scans of the proc root, in this process, and how',
    'long the event loop was blocked.',
    '',
    ...optionsHelp(BENCH_OPTIONS),
  ];
}

export type BenchFn = typeof runBench;

// CPU next to wall time: wall times lie on a busy host.
function benchSummary(r: BenchResult): string[] {
  const ms = (n: number): string => `${n.toFixed(1)} ms`;
  return [
    `${r.processes} processes, ${r.matched} matched`,
    `cold scan      ${ms(r.coldMs)}`,
    `scan (${r.runs} runs) median ${ms(r.scanMs.median)}, p95 ${ms(r.scanMs.p95)}`,
    `scan CPU       cold ${ms(r.cpuMs.cold)}, median ${ms(r.cpuMs.median)}, p95 ${ms(r.cpuMs.p95)}`,
    `longest event-loop block ${ms(r.maxBlockMs)}`,
    `RSS growth     ${r.rssGrowthMb.toFixed(1)} MB`,
    `longest block, process CPU (all threads) ${ms(r.maxBlockCpuMs)}`,
  ];
}

export async function benchCommand(
  args: readonly string[],
  io: CliIo,
  bench: BenchFn = runBench,
): Promise<number> {
  const options = parseOptions(args, BENCH_OPTIONS);
  if (typeof options === 'string') return usageError(io, 'bench', options);
  if (options.help) {
    benchHelp().forEach((l) => io.stdout(l));
    return EXIT.ok;
  }
  const runs = options.numbers.get('--runs') ?? 20;
  if (!Number.isInteger(runs) || runs < 1 || runs > 10_000) {
    return usageError(io, 'bench', `--runs: must be a whole number from 1 to 10000 (got "${runs}")`);
  }
  const procRoot = options.strings.get('--proc-root');
  const patterns = options.lists.get('--pattern');
  const floor = options.strings.get('--floor');
  let result: BenchResult;
  try {
    result = await bench({
      runs,
      ...(procRoot === undefined ? {} : { procRoot }),
      ...(patterns ? { patterns } : {}),
      ...(floor === undefined ? {} : { floor }),
    });
  } catch (err) {
    return usageError(io, 'bench', err instanceof Error ? err.message : String(err));
  }
  if (options.flags.has('--json')) io.stdout(JSON.stringify(result));
  else benchSummary(result).forEach((l) => io.stdout(l));
  return EXIT.ok;
}
