// `npm run demo`: see Proc Watchdog work without a VS Code install. Builds the .vsix, ensures
// Node 24 + code-server (cached), installs the extension into a scratch profile, starts
// code-server on 127.0.0.1 (auth none, so loopback only) with `ageMinutes: 0`, spawns a simulated
// orphaned pytest, and prints the URL to open. Ctrl-C stops everything and removes the scratch.
//   node scripts/demo.mjs [--port N] [--folder DIR] [--no-fake] [--skip-package] [--interval S]
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './realhost/cleanEnv.mjs';
import { isCleaningUp, runCleanup } from './realhost/cleanup.mjs';
import { workbenchUrl } from './realhost/codeServer.mjs';
import { ensureRealHost } from './realhost/ensure.mjs';
import { spawnOrphanedPytest } from './realhost/fakePytest.mjs';
import { makeScratch } from './realhost/scratch.mjs';
import { startWithVsix } from './realhost/workbench.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @param {string} name
 * @returns {string | undefined}
 */
function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const say = (/** @type {string} */ line) => console.log(`[demo] ${line}`);
  if (!process.argv.includes('--skip-package')) {
    say('building dist/proc-watchdog.vsix (npm run package)');
    const r = spawnSync('npm', ['run', 'package'], { cwd: REPO, encoding: 'utf8', env: cleanEnv() });
    if (r.status !== 0) throw new Error(`npm run package failed:\n${(r.stdout + r.stderr).slice(-3000)}`);
  }
  // No browser here: the user brings their own, so Chromium is not installed for the demo.
  const paths = await ensureRealHost({ log: (line) => say(line), browser: false });
  const scratch = makeScratch('pw-demo-');
  const folderOption = option('folder');
  const folder = folderOption ? path.resolve(folderOption) : scratch.sub('workspace');
  const portOption = option('port');
  const port = portOption ? Number(portOption) : undefined;
  const server = await startWithVsix({
    paths,
    scratch,
    vsixPath: path.join(REPO, 'dist', 'proc-watchdog.vsix'),
    port,
    settings: {
      'procWatchdog.ageMinutes': 0,
      'procWatchdog.intervalSeconds': Number(option('interval') ?? 5),
    },
    log: say,
  });
  if (!process.argv.includes('--no-fake')) {
    const fake = await spawnOrphanedPytest({ dir: scratch.sub('fake'), seconds: 3600 });
    say(`simulated orphaned pytest: PID ${fake.pid} (${fake.argv.slice(1).join(' ')}), parent gone`);
  }
  console.log(`\n  Open ${workbenchUrl(server, { folder })}\n`);
  console.log('  The "Proc Watchdog" icon in the activity bar, the $(watch) count in the status bar and a');
  console.log('  warning notification should appear within a few seconds. Ctrl-C stops everything.\n');
  const code = await server.exited;
  if (!isCleaningUp()) say(`code-server exited on its own (${code}); cleaning up`);
}

try {
  await main();
} catch (e) {
  console.error(`[demo] ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  // Only reached when code-server ended by itself or start-up failed; Ctrl-C is handled by
  // cleanup.mjs's signal handlers (same cleanup, then exit 130).
  await runCleanup();
}
