// src/metrics/ is the exporter's pure part (DESIGN.md "Beyond one machine"): the metric model,
// the Alertmanager model, exposition helpers. No vscode, no I/O (the HTTP server, the textfile
// and the POSTs live in src/cli/), and nothing from the front ends.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const DIR = resolve(__dirname, '../../../src/metrics');
const files = readdirSync(DIR)
  .filter((n) => n.endsWith('.ts'))
  .map((n) => ({ name: n, text: readFileSync(join(DIR, n), 'utf8') }));

function imports(text: string): string[] {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  return [
    ...code.matchAll(/\bfrom\s*['"]([^'"]+)['"]|\b(?:require|import)\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
  ].map((m) => m[1] ?? m[2] ?? '');
}

describe('src/metrics layering', () => {
  it('has the files it checks', () => {
    expect(files.map((f) => f.name)).toContain('model.ts');
  });

  it('does no I/O and imports no front end', () => {
    const banned =
      /^(?:vscode|(?:node:)?(?:fs|fs\/promises|http|https|child_process|dgram|worker_threads))$|\/(?:cli|vscode|extension)(?:\/|$)/;
    const offenders = files.flatMap((f) =>
      imports(f.text)
        .filter((m) => banned.test(m))
        .map((m) => `${f.name}: ${m}`),
    );
    expect(offenders).toEqual([]);
  });
});
