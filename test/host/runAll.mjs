// `npm run test:host` (part of `npm test` and CI): the real extension host, offline.
//   1. ensure   Debian chromium + libkrb5-dev, Node 24 + code-server in ~/.cache/proc-watchdog
//   2. package  `npm run package` -> dist/proc-watchdog.vsix (also the production dist/extension.js)
//   3. suite    test/host/suite/*.test.ts inside code-server's extension host (payload route)
//   4. ui       headless Chromium against the installed vsix (test/host/ui/uiChecks.mjs)
//   5. leftovers  no process of this run is still running
// Ends with "N passed, N failed, N skipped" (mocha tests + UI checks + steps that failed before
// counting; mocha's pending tests, e.g. this.skip(), are skipped, never passed).
// Options: --electron also runs the suite through @vscode/test-electron's runTests + the launcher.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { cleanEnv } from '../../scripts/realhost/cleanEnv.mjs';
import { runCleanup } from '../../scripts/realhost/cleanup.mjs';
import { ensureRealHost } from '../../scripts/realhost/ensure.mjs';
import { processesUsing } from '../../scripts/realhost/leftovers.mjs';
import { createdScratchDirs } from '../../scripts/realhost/scratch.mjs';
import { REPO } from './buildSuite.mjs';
import { runElectron } from './runElectron.mjs';
import { runIntegration } from './runIntegration.mjs';
import { runUiChecks } from './ui/uiChecks.mjs';

const t0 = Date.now();
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)} s`;
const log = (/** @type {string} */ line) => console.log(line);
let passed = 0;
let failed = 0;
let skipped = 0;

/**
 * @template T
 * @param {string} name
 * @param {() => Promise<T> | T} fn
 * @returns {Promise<T | undefined>}
 */
async function step(name, fn) {
  log(`\n== ${name} (at ${elapsed()})`);
  try {
    const r = await fn();
    log(`== ${name}: done (at ${elapsed()})`);
    return r;
  } catch (e) {
    failed++;
    log(`== ${name}: FAILED: ${e instanceof Error ? e.message : String(e)}`);
    return undefined;
  }
}

/**
 * @param {string} script
 * @returns {Promise<string>} its output
 */
function npmRun(script) {
  return new Promise((resolve, reject) => {
    // cleanEnv: the nested npm must not inherit this `npm test`'s npm_* variables (issue 7).
    const child = spawn('npm', ['run', script], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: cleanEnv(),
    });
    let out = '';
    child.stdout.on('data', (/** @type {Buffer} */ d) => (out += d.toString()));
    child.stderr.on('data', (/** @type {Buffer} */ d) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`npm run ${script} exited ${code}:\n${out.slice(-3000)}`)),
    );
  });
}

/**
 * @param {string} name
 * @param {{ exitCode: number, passing: number, failing: number, pending: number,
 *   pendingTitles?: string[] } | undefined} r
 */
function countSuite(name, r) {
  if (!r) return;
  log(
    `   ${name}: host exit ${r.exitCode}, ${r.passing} passing, ${r.failing} failing, ${r.pending} pending`,
  );
  passed += r.passing;
  failed += r.failing;
  skipped += r.pending;
  for (const title of r.pendingTitles ?? []) log(`   ${name}: SKIPPED: ${title}`);
  // A host that failed without a mocha failure (crash, timeout, no tests) is one failure more.
  if (r.exitCode !== 0 && r.failing === 0) failed++;
  if (r.exitCode === 0 && r.passing === 0) {
    log(`   ${name}: exit 0 but no test passed: counted as a failure`);
    failed++;
  }
}

try {
  const paths = await step('ensure: Debian packages, Node 24, code-server', () =>
    ensureRealHost({ log: (l) => log(`   ${l}`) }),
  );
  const vsix = path.join(REPO, 'dist', 'proc-watchdog.vsix');
  const packaged = await step('package: npm run package -> dist/proc-watchdog.vsix', async () => {
    await npmRun('package');
    if (!existsSync(vsix)) throw new Error(`${vsix} was not written`);
    return true;
  });

  if (paths && packaged) {
    const suite = await step("suite: test/host/suite in code-server's extension host", () =>
      runIntegration({ paths, log: (l) => log(`   ${l}`) }),
    );
    countSuite('suite', suite);

    if (process.argv.includes('--electron')) {
      const viaRunTests = await step('suite again through @vscode/test-electron runTests + launcher', () =>
        runElectron(),
      );
      countSuite('runTests', viaRunTests);
    }

    const ui = await step('ui: headless Chromium against the installed vsix', () =>
      runUiChecks({ paths, vsixPath: vsix, log: (l) => log(`   ${l}`) }),
    );
    if (ui) {
      for (const r of ui.results) {
        if (r.ok) passed++;
        else failed++;
      }
      log(
        `   ui: ${ui.results.filter((r) => r.ok).length}/${ui.results.length} checks passed; screenshots in test-output/ui/`,
      );
    }
  } else {
    log('\n(skipping suite and UI checks: ensure or package failed)');
  }
} finally {
  await runCleanup();
}

// Checked after cleanup: anything still running with one of this run's scratch folders leaked.
await step('leftovers: no code-server, Chromium or fake pytest of this run still running', async () => {
  let left = processesUsing(createdScratchDirs());
  const deadline = Date.now() + 5000;
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250)); // SIGKILLed processes take a moment to go
    left = processesUsing(createdScratchDirs());
  }
  if (left.length > 0)
    throw new Error(`still running:\n${left.map((p) => `  ${p.pid} ${p.cmdline.slice(0, 200)}`).join('\n')}`);
  const stray = createdScratchDirs().filter((dir) => existsSync(dir));
  if (stray.length > 0) throw new Error(`scratch folders not removed: ${stray.join(', ')}`);
  passed++;
});

log(`\nreal-host tests finished in ${elapsed()}`);
log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed > 0 ? 1 : 0;
