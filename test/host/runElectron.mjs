// Runs the in-host suite through @vscode/test-electron's standard `runTests`:
//   node test/host/runElectron.mjs             VS Code executable = scripts/realhost/codeLauncher.mjs
//                                              (code-server + headless Chromium, works offline)
//   node test/host/runElectron.mjs --download  real VS Code downloaded by @vscode/test-electron
//                                              (needs its download host and a display, e.g. xvfb-run)
// Needs dist/extension.js built (`npm run build`). Exit code = the extension host's.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildSuite, REPO } from './buildSuite.mjs';
import { HOST_TEST_SETTINGS, mochaCounts } from './runIntegration.mjs';

export const LAUNCHER = path.join(REPO, 'scripts', 'realhost', 'codeLauncher.mjs');

/**
 * @param {{ download?: boolean, log?: (line: string) => void }} [options]
 * @returns {Promise<{ exitCode: number, passing: number, failing: number, pending: number }>}
 */
export async function runElectron({ download = false, log = console.log } = {}) {
  if (!existsSync(path.join(REPO, 'dist', 'extension.js')))
    throw new Error('dist/extension.js missing: run `npm run build` first');
  const { entry } = await buildSuite();
  const scratch = path.join(os.tmpdir(), `pw-electron-${process.pid}`);
  const userDataDir = path.join(scratch, 'user-data');
  const workspace = path.join(scratch, 'workspace');
  const resultsFile = path.join(scratch, 'mocha.txt');
  mkdirSync(path.join(userDataDir, 'User'), { recursive: true });
  mkdirSync(workspace, { recursive: true });
  // Both executables read the profile's settings: this is how the suite's settings reach either.
  writeFileSync(
    path.join(userDataDir, 'User', 'settings.json'),
    JSON.stringify(
      { 'workbench.startupEditor': 'none', 'telemetry.telemetryLevel': 'off', ...HOST_TEST_SETTINGS },
      null,
      2,
    ),
  );
  try {
    log(`runTests via ${download ? 'downloaded VS Code' : LAUNCHER}`);
    let exitCode = 0;
    try {
      await runTests({
        ...(download ? {} : { vscodeExecutablePath: LAUNCHER }),
        extensionDevelopmentPath: REPO,
        extensionTestsPath: entry,
        launchArgs: [
          workspace,
          `--user-data-dir=${userDataDir}`,
          `--extensions-dir=${path.join(scratch, 'extensions')}`,
          '--disable-extensions',
        ],
        extensionTestsEnv: { PW_HOST_RESULTS: resultsFile },
      });
    } catch (e) {
      log(`runTests: ${e instanceof Error ? e.message : String(e)}`);
      const code = /** @type {{ code?: unknown } | null} */ (e)?.code;
      exitCode = typeof code === 'number' ? code : 1;
    }
    const counts = mochaCounts(existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '');
    return { exitCode, ...counts };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const r = await runElectron({ download: process.argv.includes('--download') });
  console.log(
    `runTests exit ${r.exitCode}: ${r.passing} passing, ${r.failing} failing, ${r.pending} pending`,
  );
  process.exitCode = r.exitCode;
}
