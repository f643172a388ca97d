// Runs an installer child (apt-get, npm) quietly, keeping only the end of its output: shown when
// it fails, returned when it succeeds. One helper for debian.mjs and ensure.mjs.
import { spawn } from 'node:child_process';
import { cleanEnv } from './cleanEnv.mjs';
import { trackGroup } from './cleanup.mjs';

const TAIL_CHARS = 4000;

/**
 * @param {string} cmd
 * @param {string[]} args
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, log?: (line: string) => void, logLines?: number,
 *   label?: string, ownGroup?: boolean }} [options] `label` names the command in the error (default
 *   `cmd args…`); `ownGroup` runs it in its own process group, tracked by cleanup.mjs, so that a
 *   Ctrl-C of the caller stops it and everything it started
 * @returns {Promise<string>} the output's last 4,000 characters
 */
export function runKeepingTail(
  cmd,
  args,
  { env = cleanEnv(), cwd, log, logLines = 25, label = `${cmd} ${args.join(' ')}`, ownGroup = false } = {},
) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: ownGroup });
    const untrack = ownGroup && child.pid ? trackGroup(child.pid) : () => {};
    let tail = '';
    const keep = (/** @type {Buffer} */ chunk) => {
      tail = (tail + chunk.toString()).slice(-TAIL_CHARS);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      untrack();
      if (code === 0) return resolve(tail);
      log?.(tail.trim().split('\n').slice(-logLines).join('\n'));
      reject(new Error(`${label} failed (${signal ?? `exit ${code}`})`));
    });
  });
}
