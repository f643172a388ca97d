// The import rules (DESIGN.md "Layers and the one import rule", and the layout in the brief):
// only src/vscode/ and src/extension.ts import `vscode`, the pure pipeline does no I/O, the
// layers import downwards only, and scripts/ never reach into test/.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(__dirname, '../..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(?:[cm]?ts|[cm]?js|tsx)$/.test(e.name) ? [path] : [];
  });
}

/**
 * Every module specifier a file names: static `import … from`, `import type`, side-effect
 * `import 'x'`, `export … from`, `require('x')`, dynamic `import('x')`, `import x = require('x')`.
 * Comments are stripped first so a comment that mentions vscode does not count.
 */
export function importedModules(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  const specs: string[] = [];
  const patterns = [
    /\b(?:import|export)\s+(?:type\s+)?[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\b(?:require|import)\s*\(\s*['"`]([^'"`]+)['"`]\s*\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) if (m[1] !== undefined) specs.push(m[1]);
  return specs;
}

const files = sourceFiles(SRC).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));
const SCRIPTS = join(ROOT, 'scripts');
const scriptFiles = sourceFiles(SCRIPTS).map((path) => ({
  path: relative(ROOT, path),
  text: readFileSync(path, 'utf8'),
}));
const mayImportVscode = (path: string): boolean =>
  path.startsWith('src/vscode/') || path === 'src/extension.ts';

describe('importedModules (the detector itself)', () => {
  it.each([
    ["import * as vscode from 'vscode';", ['vscode']],
    ["import type { Uri } from 'vscode';", ['vscode']],
    ["import type {\n  Uri,\n  TreeItem,\n} from 'vscode';", ['vscode']],
    ["export { window } from 'vscode';", ['vscode']],
    ["import 'vscode';", ['vscode']],
    ["const v = require('vscode');", ['vscode']],
    ["import vscode = require('vscode');", ['vscode']],
    ["const v = await import('vscode');", ['vscode']],
    ["import { readFile } from 'node:fs/promises';", ['node:fs/promises']],
    ["// import * as vscode from 'vscode';", []],
    ["/* require('vscode') */ const x = 1;", []],
    ["const s = 'see https://x.y/vscode';", []],
  ])('%j -> %j', (text, want) => {
    expect(importedModules(text)).toEqual(want);
  });
});

describe('architecture', () => {
  it('finds the sources it checks', () => {
    expect(files.some((f) => f.path.startsWith('src/watchdog/'))).toBe(true);
    expect(files.some((f) => f.path.startsWith('src/proc/'))).toBe(true);
  });

  // Every never-import rule of DESIGN.md ("Layers and the one import rule") and of the layout,
  // one row each: which files, which specifiers they may not name, and why.
  const IO = '(?:node:)?(?:fs|fs/promises|child_process|net|http|https|dgram|worker_threads|os)';
  const FRONT_END = String.raw`\.\.?/(?:.*/)?(?:vscode|cli|extension)(?:/|$)`;
  const inFolder =
    (...folders: string[]) =>
    (path: string): boolean =>
      folders.some((folder) => path.startsWith(folder));
  const RULES: ReadonlyArray<{ rule: string; files: (path: string) => boolean; banned: RegExp }> = [
    {
      rule: 'only src/vscode/ and src/extension.ts import vscode',
      files: (path) => !mayImportVscode(path),
      banned: /^vscode(?:\/|$)/,
    },
    {
      // Else vscode would reach the CLI or the pure layers through a relative import.
      rule: 'nothing outside src/vscode/ and src/extension.ts imports from them',
      files: (path) => !mayImportVscode(path),
      banned: /^\.\.?\/(?:.*\/)?(?:vscode\/|extension$)/,
    },
    {
      rule: 'src/watchdog/ (the pure pipeline) does no I/O: no fs, net, http, child_process, os',
      files: inFolder('src/watchdog/'),
      banned: new RegExp(`^${IO}$`),
    },
    {
      rule: 'src/watchdog/ never imports coordination (coordination builds on the pipeline)',
      files: inFolder('src/watchdog/'),
      banned: /^\.\.\/coordination(?:\/|$)/,
    },
    {
      rule: 'src/proc/ imports downwards only: never watchdog, coordination or metrics',
      files: inFolder('src/proc/'),
      banned: /^\.\.\/(?:watchdog|coordination|metrics)(?:\/|$)/,
    },
    {
      rule: 'src/proc/, src/watchdog/, src/coordination/ and src/metrics/ never reach up into a front end',
      files: inFolder('src/proc/', 'src/watchdog/', 'src/coordination/', 'src/metrics/'),
      banned: new RegExp(`^${FRONT_END}`),
    },
    {
      // The exporter's pure part (DESIGN.md "Beyond one machine"): the HTTP server, the textfile
      // and the POSTs live in src/cli/ (node:net's pure isIP is allowed).
      rule: 'src/metrics/ does no I/O and never imports coordination',
      files: inFolder('src/metrics/'),
      banned:
        /^(?:(?:node:)?(?:fs|fs\/promises|http|https|child_process|dgram|worker_threads)|\.\.\/coordination(?:\/.*)?)$/,
    },
  ];

  it.each(RULES.map((r) => [r.rule, r] as const))('%s', (_rule, { files: applies, banned }) => {
    const checked = files.filter((f) => applies(f.path));
    expect(checked.length).toBeGreaterThan(0);
    const offenders = checked.flatMap((f) =>
      importedModules(f.text)
        .filter((m) => banned.test(m))
        .map((m) => `${f.path}: ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it('every file in src/vscode/ imports vscode (nothing else lives there)', () => {
    const strays = files
      .filter((f) => f.path.startsWith('src/vscode/'))
      .filter((f) => !importedModules(f.text).some((m) => m === 'vscode'))
      .map((f) => f.path);
    expect(strays).toEqual([]);
  });

  it('no source names /proc/<pid>/environ as a path (DESIGN: never read environ)', () => {
    // Comments may mention it (to say it is never read); string literals may not.
    const offenders = files
      .filter((f) => /['"`/]environ['"`]/.test(f.text.replace(/\/\/.*$/gm, '')))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it('only src/proc/ sends signals (the identity-checked kill is the one write)', () => {
    const offenders = files
      .filter((f) => !f.path.startsWith('src/proc/'))
      .filter((f) => /\bprocess\.kill\s*\(/.test(f.text.replace(/\/\/.*$/gm, '')))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  // The real-host harness (scripts/realhost) serves both the tests and the demo/start scripts:
  // test/ imports scripts/, never the reverse, so a script runs without the test tree.
  it('scripts/ never reach into test/ (imports or bundled paths)', () => {
    const offenders = scriptFiles.flatMap((f) => {
      const code = f.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      const imports = importedModules(f.text).filter((m) => /^(?:\.\.\/)+test\//.test(m));
      const paths = [...code.matchAll(/['"`](?:\.{1,2}\/)*test\/[^'"`]*['"`]/g)].map((m) => m[0]);
      return [...imports, ...paths].map((m) => `${f.path}: ${m}`);
    });
    expect(scriptFiles.length).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });
});
