// The whole text path of one hostile process that runs without VS Code, for the linear-cost
// checks (test/unit/linearCost.test.ts): matching, formatting, the view model's row (label,
// command line), the live notification, the CLI table and JSON, and the env file and settings
// warning built from the same strings. Returns a length so nothing is optimized away. (The
// editor's Markdown builders draw from these bounded row strings.)
import fc from 'fast-check';
import { scanJson, scanTable } from '../../src/cli/scanReport';
import type { ProcessSample, ScanResult } from '../../src/proc/types';
import { formatProblems, DEFAULT_CONFIG, resolveConfig } from '../../src/watchdog/config';
import { afterTick, EMPTY_NOTE } from '../../src/watchdog/liveNote';
import { composeNotification, englishText } from '../../src/watchdog/notificationText';
import type { Words } from '../../src/watchdog/notificationText';
import { displayCommand, shortCommand } from '../../src/watchdog/format';
import { createMatcher } from '../../src/watchdog/match';
import { redactArgv } from '../../src/watchdog/redact';
import { finalMessage, safeJson } from '../../src/watchdog/sanitize';
import { buildSignals } from '../../src/watchdog/signals';
import { buildViewModel } from '../../src/watchdog/viewModel';
import { makeSample } from './samples';

export const KIB_128 = 128 * 1024;

const words: Words = {
  t: englishText,
  age: (seconds) => `${Math.round(seconds)}s`,
};
const matcher = createMatcher(['pytest', 'python', 'coverage', 'py.test']);

/** Units a string is repeated from: each one broke a regex, a loop or a spread in the old code. */
const UNIT = fc.oneof(
  fc.constantFrom(
    '/',
    '1',
    '1.',
    '-1',
    '`',
    '``',
    '[a](command:x)',
    '(',
    ' ',
    '"',
    '\\',
    '\n',
    '\u001b[2J',
    '\u202e',
    'a',
  ),
  fc.string({ minLength: 1, maxLength: 6 }),
);
/** What a string starts with: program names that reached the version-suffix regex, options. */
const PREFIX = fc.constantFrom(
  '',
  'pytest',
  'python',
  '/venv/bin/pytest',
  'python3',
  'coverage-',
  '-m',
  '-B',
  'uv',
);
/** An argv: up to four strings, each a prefix and a unit repeated to the wanted length. */
export const ARGV_SHAPE = fc.array(fc.tuple(PREFIX, UNIT), { minLength: 1, maxLength: 4 });
export type ArgvShape = readonly (readonly [string, string])[];

export function argvOf(shape: ArgvShape, chars: number): string[] {
  return shape.map(([prefix, unit]) =>
    (prefix + unit.repeat(Math.ceil(chars / unit.length))).slice(0, chars),
  );
}

export function textPath(argv: string[]): number {
  let sink = 0;
  sink += matcher.match(argv)?.length ?? 0;
  sink += matcher.match([argv.join(' ')])?.length ?? 0; // a setproctitle'd single-string line
  sink += shortCommand(argv).length + displayCommand(argv).length;
  sink += displayCommand(redactArgv(argv)).length; // Copy Report
  const first = argv[0] ?? '';
  const last = argv[argv.length - 1] ?? '';
  const sample: ProcessSample = makeSample({
    argv,
    comm: first,
    cwd: last,
    state: last,
    parent: { pid: 1, comm: first },
  });
  const scan: ScanResult = {
    ok: true,
    uptimeSeconds: 10_000,
    samples: [sample],
    stats: { processes: 1, matched: 1, vanished: 0, denied: 0, malformed: 0, durationMs: 1 },
  };
  const config = { ...DEFAULT_CONFIG, ageMinutes: 0 };
  const signals = buildSignals([sample], config);
  const model = buildViewModel({ scan, signals, state: { snoozes: {} } }, 0);
  const row = model.all[0]!;
  sink += row.label.length + row.commandLine.length;
  const fire = { type: 'fire', key: row.key, pid: row.pid, starttime: row.starttime, ageSeconds: 1 } as const;
  const note = afterTick(EMPTY_NOTE, { events: [fire], rows: model.all, nowMs: 0 }).next;
  sink += composeNotification(note, words)?.message.length ?? 0;
  sink += scanTable(scan, signals, config).join('\n').length;
  sink += safeJson(scanJson(scan, signals, config)).length;
  // The env file and the settings warning, from the same strings.
  const env = `WATCHDOG_PROC_PATTERNS=${first}\nWATCHDOG_PROC_AGE_MIN=${last}\nWATCHDOG_PROC_COOLDOWN_S="${first}`;
  const resolved = resolveConfig({
    explicit: { ageMinutes: first, patterns: [last] },
    env: { path: last, text: env },
  });
  sink += finalMessage(formatProblems(resolved.problems)).length;
  return sink;
}
