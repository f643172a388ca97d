// proc-watchdog: the terminal front end over the same core as the extension.
//   proc-watchdog scan|watch|metrics|bench|kill [options]    (--help on each)
import { benchCommand, benchHelp } from './cli/benchCommand';
import type { CliIo } from './cli/io';
import { processIo } from './cli/io';
import { killCommand } from './cli/kill';
import { killHelp } from './cli/killArgs';
import { metricsHelp } from './cli/metricsOptions';
import { EXIT, scanCommand, scanHelp } from './cli/scanCommand';
import { watchCommand, watchHelp } from './cli/watchCommand';

const COMMANDS: Readonly<
  Record<string, { run: (args: readonly string[], io: CliIo) => Promise<number>; help: () => string[] }>
> = {
  scan: { run: scanCommand, help: scanHelp },
  watch: { run: watchCommand, help: watchHelp },
  // Loaded on use: prom-client adds ~100 ms to every start-up otherwise.
  metrics: {
    run: (args, io) => import('./cli/metricsCommand.js').then((m) => m.metricsCommand(args, io)),
    help: metricsHelp,
  },
  bench: { run: benchCommand, help: benchHelp },
  kill: {
    run: (args, io) =>
      args.includes('--help') || args.includes('-h') ? printLines(io, killHelp()) : killCommand(args, io),
    help: killHelp,
  },
};

export function mainHelp(): string[] {
  return [
    'usage: proc-watchdog <command> [options]',
    '',
    'Find pytest processes that outlived their launcher (orphaned onto tini/init) in /proc.',
    '',
    'commands:',
    '  scan    scan once: table, or --json',
    '  watch   scan on an interval, print FIRE / REMIND / RECOVERY (--alertmanager: push them)',
    '  metrics export to Prometheus: --listen HOST:PORT, --textfile PATH, or print once',
    '  bench   time the /proc reader',
    '  kill    signal one process by <pid>:<starttime>, after re-checking its identity',
    '  help    this text, or `help <command>`',
    '',
    'exit codes: 0 ok, 2 bad arguments or unreadable proc root (kill: see `kill --help`)',
  ];
}

function printLines(io: CliIo, lines: readonly string[]): Promise<number> {
  lines.forEach((l) => io.stdout(l));
  return Promise.resolve(EXIT.ok);
}

export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') return printLines(io, mainHelp());
  if (command === 'help') {
    const topic = rest[0];
    const entry = topic === undefined ? undefined : COMMANDS[topic];
    if (topic !== undefined && entry === undefined) {
      io.stderr(`proc-watchdog help: unknown command "${topic}"`);
      return EXIT.usage;
    }
    return printLines(io, entry === undefined ? mainHelp() : entry.help());
  }
  const entry = Object.prototype.hasOwnProperty.call(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (entry === undefined) {
    io.stderr(`proc-watchdog: unknown command "${command}" (try --help)`);
    return EXIT.usage;
  }
  return entry.run(rest, io);
}

// Run only as the bundled bin (dist/cli.js), not when tests import main().
if (require.main === module) {
  // `proc-watchdog scan | head`: a closed pipe ends the output, it is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
  });
  const io = processIo();
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      // A bug, not a usage error: still one line, no stack trace for the user.
      io.stderr(`proc-watchdog: internal error: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
