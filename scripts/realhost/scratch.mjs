// A throwaway folder that stands in for HOME, XDG_* and TMPDIR of everything a run starts, so
// code-server and Chromium never write into the real ~/.config, ~/.local/share or leave sockets in
// /tmp. Removed on cleanup (also on Ctrl-C) unless PW_KEEP_SCRATCH=1 is set for debugging.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanEnv } from './cleanEnv.mjs';
import { onCleanup } from './cleanup.mjs';

/**
 * @typedef {{ dir: string, env: NodeJS.ProcessEnv, sub: (name: string) => string, remove: () => void }} Scratch
 */

/** @type {string[]} Every scratch folder this process created: runners check that no process still uses one. */
const created = [];
// Last resort, after the process groups were killed: remove what is left (sync, as 'exit' needs).
process.on('exit', () => {
  if (process.env.PW_KEEP_SCRATCH === '1') return;
  for (const dir of created) {
    try {
      rmSync(dir, { recursive: true, force: true });
    } catch {
      // nothing more can be done at exit
    }
  }
});
export function createdScratchDirs() {
  return [...created];
}

/** Creates a scratch folder under the system temp dir (short paths: unix sockets live in it). */
export function makeScratch(prefix = 'pw-realhost-') {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  created.push(dir);
  const sub = (/** @type {string} */ name) => {
    const p = path.join(dir, name);
    mkdirSync(p, { recursive: true, mode: 0o700 });
    return p;
  };
  // No npm_* from an outer `npm test` / `npm start` (cleanEnv.mjs says why).
  const env = cleanEnv();
  // Variables code-server reads (PORT overrides --bind-addr, PASSWORD turns auth on) or that would
  // make it talk to an outer VS Code instance.
  const inherited = [
    'PORT',
    'PASSWORD',
    'HASHED_PASSWORD',
    'GITHUB_TOKEN',
    'ELECTRON_RUN_AS_NODE',
    'CS_DISABLE_FILE_DOWNLOADS',
  ];
  for (const key of Object.keys(env)) {
    if (key.startsWith('VSCODE_') || inherited.includes(key)) delete env[key];
  }
  Object.assign(env, {
    HOME: sub('home'),
    XDG_CONFIG_HOME: sub('xdg/config'),
    XDG_DATA_HOME: sub('xdg/data'),
    XDG_CACHE_HOME: sub('xdg/cache'),
    XDG_STATE_HOME: sub('xdg/state'),
    XDG_RUNTIME_DIR: sub('xdg/runtime'),
    TMPDIR: sub('tmp'),
  });
  const remove = () => {
    if (process.env.PW_KEEP_SCRATCH === '1') {
      unregister();
      console.error(`[scratch] kept ${dir} (PW_KEEP_SCRATCH=1)`);
      return;
    }
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
      unregister();
    } catch (e) {
      // A process of the run may still be writing into it (e.g. during Ctrl-C): stay registered so
      // the cleanup, and at the latest the 'exit' handler below, removes it once all are stopped.
      console.error(`[scratch] could not remove ${dir} yet: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const unregister = onCleanup(`scratch ${dir}`, remove);
  return { dir, env, sub, remove };
}
