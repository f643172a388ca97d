// Real pytest runs for tests: one orphaned the way it happens in the wild (a launcher shell, its
// own session as `setsid`, starts /usr/bin/python3 -m pytest in the background and is then
// SIGKILLed, so pytest is re-parented onto init with the launcher's session and process group);
// whether this machine's Python can run them; and cleaning up a whole run by session.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { parseStat } from '../../src/proc/parseStat';
import { shellQuote, statOf, waitUntil } from './realProcs';

export interface OrphanedRun {
  /** The launcher's pid: the session id of the whole run. */
  readonly sid: number;
  readonly root: { readonly pid: number; readonly starttime: number };
}

/**
 * Starts `/usr/bin/python3 -m pytest <args>` in `cwd` under a launcher shell in a new session,
 * waits for `ready`, SIGKILLs the launcher and waits for pytest to be re-parented. `env` extends
 * the environment (TMPDIR for a private basetemp).
 */
export async function startOrphanedRun(options: {
  cwd: string;
  args: readonly string[];
  log: string;
  ready: (rootPid: number) => boolean;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<OrphanedRun> {
  const command = ['/usr/bin/python3', '-m', 'pytest', ...options.args].map(shellQuote).join(' ');
  const launcher = spawn(
    'bash',
    ['-c', `${command} >${shellQuote(options.log)} 2>&1 </dev/null & echo $!; wait`],
    {
      cwd: options.cwd,
      detached: true, // setsid: the launcher leads a session of its own, as a CI agent's shell does
      stdio: ['ignore', 'pipe', 'ignore'],
      env: { ...process.env, ...options.env },
    },
  );
  const sid = launcher.pid!;
  const rootPid = await new Promise<number>((resolve, reject) => {
    launcher.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    launcher.once('error', reject);
  });
  launcher.stdout.destroy();
  launcher.unref();
  const timeoutMs = options.timeoutMs ?? 60_000;
  await waitUntil('pytest to get ready', () => options.ready(rootPid), timeoutMs);
  process.kill(sid, 'SIGKILL');
  await waitUntil(
    'pytest to be re-parented',
    () => {
      const stat = statOf(rootPid);
      return stat !== null && stat.ppid !== sid;
    },
    10_000,
  );
  const stat = statOf(rootPid);
  if (stat === null) throw new Error(`pytest ${rootPid} is gone`);
  return { sid, root: { pid: rootPid, starttime: stat.starttime } };
}

/** Live (non-zombie) processes of session `sid`. */
export function sessionMembers(sid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = parseStat(readFileSync(`/proc/${name}/stat`, 'utf8'));
      if (stat.ok && stat.value.session === sid && stat.value.state !== 'Z') pids.push(stat.value.pid);
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** SIGKILL every member of session `sid` (sid > 1 only: never init's or a shared one by mistake). */
export function killSession(sid: number): void {
  if (!Number.isInteger(sid) || sid <= 1) return;
  for (const pid of sessionMembers(sid)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/**
 * Why /usr/bin/python3 cannot run the real xdist tests (null when it can): it needs pytest, xdist
 * and setproctitle (Debian python3-pytest, python3-pytest-xdist, python3-setproctitle).
 */
function pythonTestTools(): string | null {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import pytest, xdist, setproctitle'], { encoding: 'utf8' });
  if (r.status === 0) return null;
  return `/usr/bin/python3 cannot import pytest, xdist and setproctitle (apt-get install python3-pytest python3-pytest-xdist python3-setproctitle): ${(r.stderr ?? String(r.error)).trim().split('\n').pop() ?? ''}`;
}

/**
 * `describe` for the real pytest tests. Without the Python tools, under `npm test` (whose
 * test:deps step installs the Debian packages as root, or stops with the sudo line for anyone
 * else, scripts/realhost/debian.mjs) or as root, their absence is a failure, never a skip: the
 * packages are there, so a tool that does not import is broken. Only a bare `vitest` run by a
 * plain user without them gets a SKIPPED suite whose name and stderr line say what is missing.
 */
export function describeWithPytest(title: string, body: () => void): void {
  const missing = pythonTestTools();
  if (missing === null) {
    describe(title, body);
    return;
  }
  const underNpmTest = (process.env.npm_lifecycle_event ?? '').startsWith('test');
  if (underNpmTest || process.getuid?.() === 0) {
    describe(title, () => {
      it('has /usr/bin/python3 with pytest, xdist and setproctitle (npm test installs them)', () => {
        throw new Error(missing);
      });
    });
    return;
  }
  console.warn(`SKIPPED (${missing}): ${title}`);
  describe.skip(`${title} [SKIPPED: ${missing}]`, body);
}
