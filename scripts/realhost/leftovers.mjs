// After a run: which processes still mention one of the run's scratch folders on their command
// line? code-server (--user-data-dir), Chromium and its crashpad handler (profile, HOME) and the
// fake pytest all do, so an empty answer means the run left nothing behind.
import { readdirSync, readFileSync } from 'node:fs';

/**
 * @param {readonly string[]} dirs
 * @returns {{ pid: number, cmdline: string }[]}
 */
export function processesUsing(dirs) {
  if (dirs.length === 0) return [];
  /** @type {{ pid: number, cmdline: string }[]} */
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let cmdline;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replaceAll('\0', ' ').trim();
    } catch {
      continue; // exited meanwhile, or not ours to read
    }
    if (dirs.some((dir) => cmdline.includes(dir))) found.push({ pid: Number(name), cmdline });
  }
  return found;
}
