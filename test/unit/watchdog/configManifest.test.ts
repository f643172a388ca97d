// package.json's settings (what the Settings editor shows and validates) against the zod schema
// and defaults the extension actually applies (src/watchdog/config.ts): the same keys, types,
// defaults and bounds, so a value the editor accepts is never silently replaced by a default.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { CONFIG_SCHEMA, DEFAULT_CONFIG } from '../../../src/watchdog/config';

interface ManifestSetting {
  readonly type: string;
  readonly default: unknown;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minItems?: number;
  readonly items?: { readonly type: string; readonly minLength?: number };
}

const PREFIX = 'procWatchdog.';
const manifest = JSON.parse(readFileSync(join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, ManifestSetting> } };
};
const settings = new Map(
  Object.entries(manifest.contributes.configuration.properties).map(([id, s]) => [
    id.slice(PREFIX.length),
    s,
  ]),
);
const keys = Object.keys(CONFIG_SCHEMA) as (keyof typeof CONFIG_SCHEMA)[];
/**
 * How the editor draws, not what the watch does: read in src/vscode only (statusBar.ts), never
 * by the pipeline or the CLI, so not in the schema. Each must be an enum with its default in it.
 */
const EDITOR_ONLY = ['statusBar'];

/** What JSON Schema can say about a zod schema: type, bounds, item constraints. */
function bounds(key: keyof typeof CONFIG_SCHEMA): Omit<ManifestSetting, 'default' | 'minItems'> {
  const { type, minimum, maximum, items } = z.toJSONSchema(CONFIG_SCHEMA[key], { io: 'input' }) as {
    type: string;
    minimum?: number;
    maximum?: number;
    items?: { type: string; minLength?: number };
  };
  return {
    type,
    ...(minimum === undefined ? {} : { minimum }),
    ...(maximum === undefined ? {} : { maximum }),
    ...(items === undefined ? {} : { items }),
  };
}

describe('package.json settings = the zod schema', () => {
  it('has exactly the schema keys, besides the editor-only ones', () => {
    expect([...settings.keys()].filter((k) => !EDITOR_ONLY.includes(k)).sort()).toEqual([...keys].sort());
  });

  it.each(EDITOR_ONLY)('editor-only %s is an enum that holds its default', (key) => {
    const s = settings.get(key) as ManifestSetting & { enum?: unknown[] };
    expect(s.enum).toContain(s.default);
  });

  it.each(keys)('%s: same default', (key) => {
    expect(settings.get(key)?.default).toEqual(DEFAULT_CONFIG[key]);
  });

  it.each(keys)('%s: same type, minimum, maximum and item rules', (key) => {
    const s = settings.get(key)!;
    expect({
      type: s.type,
      ...(s.minimum === undefined ? {} : { minimum: s.minimum }),
      ...(s.maximum === undefined ? {} : { maximum: s.maximum }),
      ...(s.items === undefined ? {} : { items: s.items }),
    }).toEqual(bounds(key));
  });

  // A refine (patterns: at least one) does not show in JSON Schema: probe the schema instead.
  it.each(keys.filter((k) => settings.get(k)?.type === 'array'))('%s: minItems as the schema', (key) => {
    const rejectsEmpty = !z.safeParse(CONFIG_SCHEMA[key], []).success;
    expect(settings.get(key)?.minItems ?? 0).toBe(rejectsEmpty ? 1 : 0);
  });
});
