// Options shared by `scan` and `watch`, turned into a WatchdogConfig through the same zod
// schema the extension's settings go through (so `--age-min -5` fails like the setting does).
import { resolve } from 'node:path';
import { readTextBounded } from '../proc/boundedRead';
import type { OptionSpecs, ParsedOptions } from './args';
import { resolveConfig } from '../watchdog/config';
import { MAX_ENV_FILE_BYTES } from '../watchdog/envFile';
import { quoteValue, sanitize } from '../watchdog/sanitize';
import type { WatchdogConfig } from '../watchdog/types';

export const SCAN_OPTIONS: OptionSpecs = {
  '--json': { kind: 'flag', help: 'print one JSON object (the contract in DESIGN.md)' },
  '--proc-root': { kind: 'string', help: 'DIR  proc root to scan (default /proc)' },
  '--pattern': { kind: 'list', help: 'P  program or module to watch, repeatable (default pytest)' },
  '--age-min': { kind: 'number', help: 'M  minutes after which a match blocks; 0 = all (default 60)' },
  '--orphans-only': { kind: 'flag', help: 'only orphaned matches block' },
  '--env-file': { kind: 'string', help: 'FILE  read WATCHDOG_PROC_* from this env file (options win)' },
};

export const WATCH_OPTIONS: OptionSpecs = {
  ...SCAN_OPTIONS,
  '--json': { kind: 'flag', help: 'print each alert event as one JSON line' },
  '--interval': { kind: 'number', help: 'S  seconds between scans (default 30, min 1)' },
  '--cooldown': { kind: 'number', help: 'S  seconds between reminders about one process (default 1800)' },
};

/** Option -> config key, so a rejected value is reported under the option the user typed. */
const OPTION_KEYS: Readonly<Record<string, keyof WatchdogConfig>> = {
  '--proc-root': 'procRoot',
  '--pattern': 'patterns',
  '--age-min': 'ageMinutes',
  '--orphans-only': 'orphansOnly',
  '--interval': 'intervalSeconds',
  '--cooldown': 'cooldownSeconds',
};

export async function configFromOptions(options: ParsedOptions): Promise<WatchdogConfig | string> {
  const explicit: Record<string, unknown> = {};
  for (const [option, key] of Object.entries(OPTION_KEYS)) {
    if (options.flags.has(option)) explicit[key] = true;
    const value = options.strings.get(option) ?? options.numbers.get(option) ?? options.lists.get(option);
    if (value !== undefined) explicit[key] = value;
  }
  // A relative --proc-root (a fixture tree) is relative to where the command runs.
  if (typeof explicit.procRoot === 'string' && explicit.procRoot.trim() !== '') {
    explicit.procRoot = resolve(explicit.procRoot);
  }
  let env: { path: string; text: string } | undefined;
  const envPath = options.strings.get('--env-file');
  if (envPath !== undefined) {
    // A regular file of at most 64 KiB, as in the editor (a FIFO or /dev/zero must not hang it).
    try {
      env = { path: envPath, text: await readTextBounded(envPath, MAX_ENV_FILE_BYTES) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code ?? String(err);
      const why =
        code === 'EFTYPE'
          ? 'not a regular file'
          : code === 'EFBIG'
            ? `larger than ${MAX_ENV_FILE_BYTES / 1024} KiB`
            : code;
      return `--env-file: cannot read ${sanitize(envPath, { maxChars: 200, elide: 'middle' })}: ${why}`;
    }
  }
  const resolved = resolveConfig(env === undefined ? { explicit } : { explicit, env });
  const problem = resolved.problems[0];
  if (problem !== undefined) {
    const option = Object.keys(OPTION_KEYS).find((o) => OPTION_KEYS[o] === problem.key);
    const where =
      problem.source === 'settings'
        ? (option ?? problem.key)
        : `${sanitize(problem.source, { maxChars: 200, elide: 'middle' })}:${problem.line ?? '?'} ${sanitize(problem.key, 64)}`;
    return `${where}: ${problem.message} (got ${quoteValue(problem.value)})`;
  }
  return resolved.config;
}
