// `npm start`: build and package, then install dist/proc-watchdog.vsix into the VS Code whose
// `code` CLI is on PATH (a desktop install, or the remote CLI inside a VS Code terminal). With no
// `code` CLI, fall back to `npm run demo` (code-server in the browser, with a simulated orphan).
// Children get cleanEnv(): no npm_* variables of this `npm start` leak into them (issue 7).
import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './realhost/cleanEnv.mjs';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const VSIX = path.join(REPO, 'dist', 'proc-watchdog.vsix');
const say = (/** @type {string} */ line) => console.log(`[start] ${line}`);

function hasCodeCli() {
  return spawnSync('sh', ['-c', 'command -v code'], { encoding: 'utf8', env: cleanEnv() }).status === 0;
}

say('building and packaging (npm run package)');
const built = spawnSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'inherit', env: cleanEnv() });
if (built.status !== 0) {
  say('npm run package failed');
  process.exit(built.status ?? 1);
}

if (hasCodeCli()) {
  say(`code --install-extension ${path.relative(REPO, VSIX)} --force`);
  const r = spawnSync('code', ['--install-extension', VSIX, '--force'], {
    stdio: 'inherit',
    env: cleanEnv(),
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  say('installed: reload the VS Code window ("Developer: Reload Window") and open the Proc Watchdog view.');
} else {
  say('no `code` CLI on PATH: starting the browser demo instead (npm run demo)');
  const demo = spawn(
    process.execPath,
    [path.join(REPO, 'scripts', 'demo.mjs'), '--skip-package', ...process.argv.slice(2)],
    { stdio: 'inherit', env: cleanEnv() },
  );
  // Ctrl-C reaches the demo too (same terminal process group); it cleans up and exits, then we do.
  for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM', 'SIGHUP'])) {
    process.on(signal, () => demo.kill(signal));
  }
  demo.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
