// Options shared by `scan` and `watch`, turned into a WatchdogConfig through the same zod
// schema the extension's settings go through (so `--age-min -5` fails like the setting does).
import { resolve } from 'node:path';
import { readTextBounded } from '../proc/boundedRead';
import type { OptionSpecs, ParsedOptions } from './args';
import { ALERTMANAGER_OPTIONS } from './alertmanager';
import { ENV_KEYS, resolveConfig } from '../watchdog/config';
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
  '--workspace': { kind: 'list', help: 'DIR  workspace folder: open files under it are listed; repeatable' },
  '--no-test-children': {
    kind: 'flag',
    help: "do not search init's children for processes tests left behind",
  },
  '--no-sample': { kind: 'flag', help: 'skip the second CPU reading 0.5 s later (cpuPercent null)' },
};

export const WATCH_OPTIONS: OptionSpecs = {
  ...withoutKey(SCAN_OPTIONS, '--no-sample'),
  '--json': { kind: 'flag', help: 'print each alert event as one JSON line' },
  '--interval': { kind: 'number', help: 'S  seconds between scans (default 30, min 1)' },
  '--cooldown': { kind: 'number', help: 'S  seconds between reminders about one process (default 1800)' },
  ...ALERTMANAGER_OPTIONS,
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

function withoutKey(specs: OptionSpecs, key: string): OptionSpecs {
  return Object.fromEntries(Object.entries(specs).filter(([name]) => name !== key));
}

/** Workspace folders from `--workspace`, absolute (relative ones are relative to where it runs). */
export function workspacesFromOptions(options: ParsedOptions): string[] {
  return (options.lists.get('--workspace') ?? []).map((dir) => resolve(dir));
}

/**
 * `environment`: a process environment whose WATCHDOG_PROC_* variables apply (the `metrics`
 * exporter, which runs next to the sidecar and is configured like it). Options win over it, and
 * it wins over --env-file, as a real environment wins over a dotenv file.
 */
export async function configFromOptions(
  options: ParsedOptions,
  environment?: NodeJS.ProcessEnv,
): Promise<WatchdogConfig | string> {
  const fromEnvironment = environment === undefined ? {} : environmentValues(environment);
  if (typeof fromEnvironment === 'string') return fromEnvironment;
  const explicit: Record<string, unknown> = { ...fromEnvironment };
  if (options.flags.has('--no-test-children')) explicit.testChildren = false;
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

/**
 * The WATCHDOG_PROC_* variables of an environment, validated by the same parser and schema as an
 * env file (resolveConfig on a dotenv text made from them), as config values; or the first problem, as one line.
 */
function environmentValues(environment: NodeJS.ProcessEnv): Record<string, unknown> | string {
  const lines: string[] = [];
  const present: string[] = [];
  for (const name of Object.keys(ENV_KEYS)) {
    const value = environment[name];
    if (value === undefined) continue;
    present.push(name);
    const escaped = value
      .replace(/[\\"]/g, (c) => `\\${c}`)
      .replace(/\n/g, '\\n')
      .replace(/\r/g, '\\r');
    lines.push(`${name}="${escaped}"`);
  }
  if (lines.length === 0) return {};
  const resolved = resolveConfig({ explicit: {}, env: { path: 'environment', text: lines.join('\n') } });
  const problem = resolved.problems[0];
  if (problem !== undefined) return `environment ${problem.key}: ${problem.message} (got "${problem.value}")`;
  const values: Record<string, unknown> = {};
  for (const name of present) {
    const key = ENV_KEYS[name as keyof typeof ENV_KEYS];
    values[key] = resolved.config[key];
  }
  return values;
}
