// Runs the in-host suite (test/host/suite) in code-server's real extension host through the
// smoke-test driver's payload route. Needs dist/extension.js built (`npm run build`).
//   node test/host/runIntegration.mjs        exit code = the extension host's
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCleanup } from '../../scripts/realhost/cleanup.mjs';
import { ensureRealHost } from '../../scripts/realhost/ensure.mjs';
import { runExtensionTests } from '../../scripts/realhost/runPayload.mjs';
import { makeScratch } from '../../scripts/realhost/scratch.mjs';
import { buildSuite, REPO } from './buildSuite.mjs';

/** Settings the in-host tests start from (they change others themselves). */
export const HOST_TEST_SETTINGS = { 'procWatchdog.ageMinutes': 0, 'procWatchdog.intervalSeconds': 2 };

const t0 = Date.now();
const stamped = (/** @type {string} */ line) =>
  console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s] ${line}`);

/** Offline noise (REAL-HOST.md: harmless): printed as one line, without the stack. */
const HARMLESS = /ENOTFOUND|authentication provider|open-vsx|telemetry/;

/**
 * Reads mocha's "N passing" / "N failing" / "N pending" out of the spec reporter's lines, and the
 * titles of the pending (skipped) tests, which the spec reporter prints as "  - title".
 */
export function mochaCounts(/** @type {string} */ text) {
  const num = (/** @type {RegExp} */ re) => Number(re.exec(text)?.[1] ?? 0);
  return {
    passing: num(/^\s*(\d+) passing/m),
    failing: num(/^\s*(\d+) failing/m),
    pending: num(/^\s*(\d+) pending/m),
    pendingTitles: [...text.matchAll(/^\s+- (.+)$/gm)].map((m) => (m[1] ?? '').trim()),
  };
}

/**
 * @param {{ paths: import('../../scripts/realhost/ensure.mjs').RealHostPaths, log?: (line: string) => void }} options
 * @returns {Promise<{ exitCode: number, passing: number, failing: number, pending: number,
 *   pendingTitles: string[] }>}
 */
export async function runIntegration({ paths, log = stamped }) {
  if (!existsSync(path.join(REPO, 'dist', 'extension.js')))
    throw new Error('dist/extension.js missing: run `npm run build` first');
  const { entry, tests } = await buildSuite();
  log(`host suite: ${tests.join(', ')}`);
  const scratch = makeScratch('pw-host-');
  const resultsFile = path.join(scratch.sub('results'), 'mocha.txt');
  try {
    let forwarded = '';
    const { exitCode } = await runExtensionTests({
      paths,
      scratch,
      extensionDevelopmentPath: REPO,
      extensionTestsPath: entry,
      folder: scratch.sub('workspace'),
      extensionEnvironment: { PW_HOST_RESULTS: resultsFile },
      settings: HOST_TEST_SETTINGS,
      log: (line) => log(`  ${line}`),
      onHostLog: (_level, message) => {
        forwarded += `${message}\n`;
        log(`  [host] ${HARMLESS.test(message) ? message.split('\n')[0] : message}`);
      },
    });
    // Prefer the forwarded lines; fall back to the file the suite tees into.
    const fromFile = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
    const counts = mochaCounts(/\d+ passing/.test(forwarded) ? forwarded : fromFile);
    if (!/\d+ passing/.test(forwarded) && fromFile) {
      log('  (mocha output read from the results file: the host did not forward it)');
      for (const line of fromFile.trimEnd().split('\n')) log(`  [suite] ${line}`);
    }
    return { exitCode, ...counts };
  } finally {
    scratch.remove();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const paths = await ensureRealHost();
    const r = await runIntegration({ paths });
    console.log(
      `extension host exit ${r.exitCode}: ${r.passing} passing, ${r.failing} failing, ${r.pending} pending`,
    );
    process.exitCode = r.exitCode;
  } catch (e) {
    console.error(e);
    process.exitCode = 1;
  } finally {
    await runCleanup();
  }
}
