// Settings: one zod schema per key, validated once at the edge. Sources, strongest first: what
// the user set explicitly in VS Code settings, the sidecar's env file, the defaults. A rejected
// value is named (source, key, value) and the next source is used; nothing throws.
// zod/mini (functional checks) rather than classic zod: it tree-shakes, so the bundle carries only
// the few checks used here instead of all of zod (which would be most of extension.js).
import * as z from 'zod/mini';
import { DEFAULT_REAPERS } from '../proc/orphan';
import { parseEnvFile } from './envFile';
import { quoteValue, sanitize } from './sanitize';
import type { WatchdogConfig } from './types';

export type { WatchdogConfig } from './types';

export const DEFAULT_CONFIG: WatchdogConfig = {
  enabled: true,
  ageMinutes: 60,
  patterns: ['pytest'],
  cooldownSeconds: 1800,
  intervalSeconds: 30,
  orphansOnly: false,
  reapers: DEFAULT_REAPERS,
  procRoot: '/proc',
  envFile: '',
  killGraceSeconds: 5,
  testChildren: true,
};

/** Below this a scan loop is a busy loop on a 2-core laptop; above a day it is not a watch. */
const MIN_INTERVAL_SECONDS = 1;
const MAX_INTERVAL_SECONDS = 86_400;

const nonNegative = z.number().check(z.minimum(0, 'must be ≥ 0'));
const names = z.readonly(z.array(z.string().check(z.trim(), z.minLength(1, 'empty name'))));

export const CONFIG_SCHEMA = {
  enabled: z.boolean(),
  ageMinutes: nonNegative,
  patterns: names.check(z.refine((a) => a.length > 0, 'needs at least one pattern')),
  cooldownSeconds: nonNegative,
  intervalSeconds: z
    .number()
    .check(
      z.minimum(MIN_INTERVAL_SECONDS, `must be ≥ ${MIN_INTERVAL_SECONDS}`),
      z.maximum(MAX_INTERVAL_SECONDS, `must be ≤ ${MAX_INTERVAL_SECONDS}`),
    ),
  orphansOnly: z.boolean(),
  reapers: names,
  procRoot: z.string().check(z.trim(), z.startsWith('/', 'must be an absolute path')),
  envFile: z.string(),
  killGraceSeconds: z.number().check(z.minimum(0, 'must be ≥ 0'), z.maximum(600, 'must be ≤ 600')),
  testChildren: z.boolean(),
} satisfies { [K in keyof WatchdogConfig]: z.ZodMiniType };

type Key = keyof WatchdogConfig;
const KEYS = Object.keys(CONFIG_SCHEMA) as Key[];

/** The sidecar's variables and the setting each feeds (WATCHDOG_PROC_ENABLED is shown, not used). */
export const ENV_KEYS = {
  WATCHDOG_PROC_AGE_MIN: 'ageMinutes',
  WATCHDOG_PROC_PATTERNS: 'patterns',
  WATCHDOG_PROC_COOLDOWN_S: 'cooldownSeconds',
} as const satisfies Record<string, Key>;
const ENV_ENABLED = 'WATCHDOG_PROC_ENABLED';

export interface ConfigProblem {
  /** 'settings', or the env file's path. */
  readonly source: string;
  readonly key: string;
  /** The rejected value as text. */
  readonly value: string;
  readonly message: string;
  readonly line?: number;
}

export interface ResolveInput {
  /** Keys the user set in VS Code settings (or on the command line). */
  readonly explicit: Record<string, unknown>;
  readonly env?: { readonly path: string; readonly text: string };
}

export interface ResolvedConfig {
  readonly config: WatchdogConfig;
  readonly problems: ConfigProblem[];
  /** The sidecar's WATCHDOG_PROC_ENABLED and the file it came from, for display. */
  readonly sidecar: { readonly enabled: boolean | null; readonly source: string | null };
}

export function resolveConfig(input: ResolveInput): ResolvedConfig {
  const problems: ConfigProblem[] = [];
  const fromEnv = envValues(input.env, problems);
  const config: Record<string, unknown> = {};
  for (const key of KEYS) {
    config[key] = DEFAULT_CONFIG[key];
    const envValue = fromEnv.values[key];
    if (envValue !== undefined) config[key] = envValue;
    if (Object.prototype.hasOwnProperty.call(input.explicit, key)) {
      const raw = input.explicit[key];
      const parsed = z.safeParse(CONFIG_SCHEMA[key], raw);
      if (parsed.success) config[key] = parsed.data;
      else
        problems.push({ source: 'settings', key, value: showValue(raw), message: firstIssue(parsed.error) });
    }
  }
  return { config: config as unknown as WatchdogConfig, problems, sidecar: fromEnv.sidecar };
}

interface EnvResult {
  values: Partial<Record<Key, unknown>>;
  sidecar: ResolvedConfig['sidecar'];
}

function envValues(env: ResolveInput['env'], problems: ConfigProblem[]): EnvResult {
  const result: EnvResult = { values: {}, sidecar: { enabled: null, source: null } };
  if (env === undefined) return result;
  const parsed = parseEnvFile(env.text);
  for (const p of parsed.problems) {
    // A .env holds the whole app's variables: only broken lines that concern us are ours to report.
    if (!p.text.includes('WATCHDOG_PROC_')) continue;
    problems.push({
      source: env.path,
      key: keyOfLine(p.text),
      value: p.text,
      message: p.message,
      line: p.line,
    });
  }
  for (const [envKey, key] of Object.entries(ENV_KEYS)) {
    const entry = parsed.values.get(envKey);
    if (entry === undefined) continue;
    const candidate = key === 'patterns' ? splitList(entry.value) : parseNumber(entry.value);
    const checked = candidate === null ? null : z.safeParse(CONFIG_SCHEMA[key], candidate);
    if (checked?.success === true) {
      result.values[key] = checked.data;
    } else {
      const message = checked === null ? 'not a number' : firstIssue(checked.error);
      problems.push({ source: env.path, key: envKey, value: entry.value, message, line: entry.line });
    }
  }
  const enabled = parsed.values.get(ENV_ENABLED);
  if (enabled !== undefined) {
    const flag = parseBoolean(enabled.value);
    if (flag === null) {
      problems.push({
        source: env.path,
        key: ENV_ENABLED,
        value: enabled.value,
        message: 'not true/false',
        line: enabled.line,
      });
    }
    result.sidecar = { enabled: flag, source: env.path };
  }
  return result;
}

/** The KEY of a broken `KEY=value` line (the text before the first `=`). */
function keyOfLine(text: string): string {
  const eq = text.indexOf('=');
  return (eq === -1 ? text : text.slice(0, eq)).trim();
}

/**
 * Strict: `Number('')` is 0 and `Number('0x10')` is 16; neither is what a person meant. The
 * fraction is one optional group after the digits, not `\d+\.?\d*`: with the dot optional that
 * regex splits a digit run every way before failing (quadratic on an env value of 60k digits).
 */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  return /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/.test(t) ? Number(t) : null;
}

function parseBoolean(text: string): boolean | null {
  const t = text.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(t)) return true;
  if (['0', 'false', 'no', 'off'].includes(t)) return false;
  return null;
}

/** `pytest, py.test,,` -> ['pytest', 'py.test']. */
function splitList(text: string): string[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function firstIssue(error: z.core.$ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid';
  if (issue.code === 'invalid_type') return `expected ${issue.expected}`;
  return issue.message;
}

function showValue(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * One warning text naming every rejected value: `setting procWatchdog.ageMinutes = "-5" (must be
 * ≥ 0); …`. Every piece but our own words is outside text (a cloned repo's settings, its env
 * file): values are JSON-quoted and capped (quoteValue), names and paths sanitized.
 */
export function formatProblems(problems: readonly ConfigProblem[]): string {
  return problems
    .map((p) => {
      const where =
        p.source === 'settings'
          ? `setting procWatchdog.${sanitize(p.key, 64)}`
          : `${sanitize(p.source, { maxChars: 200, elide: 'middle' })}${p.line !== undefined ? `:${p.line}` : ''} ${sanitize(p.key, 64)}`;
      return `${where} = ${quoteValue(p.value)} (${sanitize(p.message, 200)})`;
    })
    .join('; ');
}
