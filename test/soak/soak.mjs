// Soak: the reader + Monitor over a churning fake /proc tree (default 10,000 processes,
// 1,000 ticks, 100 exits/starts per tick). Bundles test/soak/soakRun.ts into .cache/ and
// runs it in `node --expose-gc`; extra arguments go to the run (--count, --ticks, --churn,
// --baseline-tick, --root). Prints the figures as JSON.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import * as esbuild from 'esbuild';
import { cleanEnv } from '../../scripts/realhost/cleanEnv.mjs';

mkdirSync('.cache', { recursive: true });
await esbuild.build({
  entryPoints: ['test/soak/soakRun.ts'],
  outfile: '.cache/soakRun.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  logLevel: 'warning',
});
const run = spawnSync(process.execPath, ['--expose-gc', '.cache/soakRun.js', ...process.argv.slice(2)], {
  stdio: ['ignore', 'pipe', 'inherit'],
  encoding: 'utf8',
  env: cleanEnv(),
});
process.stdout.write(run.stdout);
process.exit(run.status ?? 1);
