// Every user-visible string of the extension is localized: each vscode.l10n.t() message in
// src/vscode and src/extension.ts, and each t() message of the pure text builders in src/watchdog
// that take the UI's translate function (notificationText.ts), is in both runtime bundles with the
// same placeholders, and every %key% of package.json is in both manifest NLS files.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const readJson = (p: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root, p), 'utf8')) as Record<string, unknown>;

/** Pure modules whose words come in as `t` (a `Words` parameter): their t('…') calls are keys too. */
const TRANSLATED_PURE = ['src/watchdog/notificationText.ts', 'src/watchdog/parentText.ts'];

function runtimeKeys(): string[] {
  const files = ['src/extension.ts', ...readdirSync(join(root, 'src/vscode')).map((f) => `src/vscode/${f}`)];
  const keys = new Set<string>();
  const vscodeCall = /l10n\.t\(\s*(['"])((?:\\.|(?!\1).)*)\1/gs;
  const pureCall = /\bt\(\s*(['"])((?:\\.|(?!\1).)*)\1/gs;
  const sources = [
    ...files.map((file) => ({ file, call: vscodeCall })),
    ...TRANSLATED_PURE.map((file) => ({ file, call: pureCall })),
  ];
  for (const { file, call } of sources) {
    for (const m of readFileSync(join(root, file), 'utf8').matchAll(call)) {
      keys.add(JSON.parse(`"${(m[2] ?? '').replace(/\\'/g, "'").replace(/"/g, '\\"')}"`) as string);
    }
  }
  return [...keys];
}

const placeholders = (s: string): string[] => [...s.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();

describe('runtime l10n bundles', () => {
  const keys = runtimeKeys();
  const en = readJson('l10n/bundle.l10n.json');
  const ru = readJson('l10n/bundle.l10n.ru.json');

  it('finds the messages (the extractor works)', () => {
    expect(keys).toContain('Terminate (SIGTERM)');
    expect(keys).toContain('Blocking: {0}.');
    expect(keys.length).toBeGreaterThan(40);
  });

  it.each(keys)('has %j in English and Russian with the same placeholders', (key) => {
    expect(en[key]).toBe(key);
    const translated = ru[key];
    expect(typeof translated).toBe('string');
    expect(placeholders(translated as string)).toEqual(placeholders(key));
  });

  it('has no stale keys', () => {
    expect(Object.keys(en).filter((k) => !keys.includes(k))).toEqual([]);
    expect(Object.keys(ru).filter((k) => !keys.includes(k))).toEqual([]);
  });

  it('is really Russian (Cyrillic) for sentences', () => {
    const sentences = keys.filter((k) => /[a-z]{3,} [a-z]{3,}/.test(k));
    for (const key of sentences) expect(ru[key], key).toMatch(/[а-яё]/i);
  });
});

describe('manifest NLS', () => {
  const manifest = readFileSync(join(root, 'package.json'), 'utf8');
  const used = [...new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1] as string))];
  const en = readJson('package.nls.json');
  const ru = readJson('package.nls.ru.json');

  it('uses %keys% for titles and descriptions', () => {
    expect(used).toContain('procWatchdog.kill.title');
    expect(used).toContain('config.ageMinutes');
  });

  it.each(used)('%s is in package.nls.json and package.nls.ru.json', (key) => {
    expect(typeof en[key]).toBe('string');
    expect(typeof ru[key]).toBe('string');
  });

  it('has the same keys in both files', () => {
    expect(Object.keys(ru).sort()).toEqual(Object.keys(en).sort());
  });
});
