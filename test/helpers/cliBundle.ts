// Builds the CLI bin the way esbuild.mjs builds dist/cli.js, into a private file: dist/ may be
// rebuilt by something else while a test runs it.
import * as esbuild from 'esbuild';

export async function bundleCli(outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: ['src/cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
  });
}
