// Bundles the in-host test suite: test/host/suite/*.ts -> .cache/host-suite/*.js (index.js is the
// extensionTestsPath; every *.test.js next to it is loaded). `vscode` is provided by the host and
// mocha resolves from the repo's node_modules, so both stay external.
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SUITE_OUT = path.join(REPO, '.cache', 'host-suite');
export const SUITE_ENTRY = path.join(SUITE_OUT, 'index.js');

/** Builds the suite; returns the entry path and the test files built. */
export async function buildSuite() {
  const srcDir = path.join(REPO, 'test', 'host', 'suite');
  const entryPoints = readdirSync(srcDir)
    .filter((name) => name.endsWith('.ts'))
    .map((name) => path.join(srcDir, name));
  rmSync(SUITE_OUT, { recursive: true, force: true });
  await esbuild.build({
    entryPoints,
    outdir: SUITE_OUT,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return {
    entry: SUITE_ENTRY,
    tests: entryPoints.filter((p) => p.endsWith('.test.ts')).map((p) => path.basename(p)),
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { entry, tests } = await buildSuite();
  console.log(`host suite built: ${entry} (${tests.join(', ')})`);
}
