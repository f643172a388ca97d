// Options shared by `scan` and `watch`, turned into a WatchdogConfig through the same zod
// schema the extension's settings go through (so `--age-min -5` fails like the setting does).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { OptionSpecs, ParsedOptions } from './args';
import { resolveConfig } from '../watchdog/config';
import type { WatchdogConfig } from '../watchdog/types';

export const SCAN_OPTIONS: OptionSpecs = {
  '--json': { kind: 'flag', help: 'print one JSON object (the contract in DESIGN.md)' },
  '--proc-root': { kind: 'string', help: 'DIR  proc root to scan (default /proc)' },
  '--pattern': { kind: 'list', help: 'P  program or module to watch, repeatable (default pytest)' },
  '--age-min': { kind: 'number', help: 'M  minutes after which a match blocks; 0 = all (default 60)' },
  '--orphans-only': { kind: 'flag', help: 'only orphaned matches block' },
  '--env-file': { kind: 'string', help: 'FILE  read WATCHDOG_PROC_* from this env file (options win)' },
  '--workspace': { kind: 'list', help: 'DIR  workspace folder: open files under it are listed; repeatable' },
  '--no-test-children': { kind: 'flag', help: 'do not look for processes tests left behind' },
  '--no-sample': { kind: 'flag', help: 'skip the second CPU reading 0.5 s later (cpuPercent null)' },
};

export const WATCH_OPTIONS: OptionSpecs = {
  ...withoutKey(SCAN_OPTIONS, '--no-sample'),
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

function withoutKey(specs: OptionSpecs, key: string): OptionSpecs {
  return Object.fromEntries(Object.entries(specs).filter(([name]) => name !== key));
}

/** Workspace folders from `--workspace`, absolute (relative ones are relative to where it runs). */
export function workspacesFromOptions(options: ParsedOptions): string[] {
  return (options.lists.get('--workspace') ?? []).map((dir) => resolve(dir));
}

export async function configFromOptions(options: ParsedOptions): Promise<WatchdogConfig | string> {
  const explicit: Record<string, unknown> = {};
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
    try {
      env = { path: envPath, text: await readFile(envPath, 'utf8') };
    } catch (err) {
      return `--env-file: cannot read ${envPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    }
  }
  const resolved = resolveConfig(env === undefined ? { explicit } : { explicit, env });
  const problem = resolved.problems[0];
  if (problem !== undefined) {
    const option = Object.keys(OPTION_KEYS).find((o) => OPTION_KEYS[o] === problem.key);
    const where =
      problem.source === 'settings'
        ? (option ?? problem.key)
        : `${problem.source}:${problem.line ?? '?'} ${problem.key}`;
    return `${where}: ${problem.message} (got "${problem.value}")`;
  }
  return resolved.config;
}
