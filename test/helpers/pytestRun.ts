// A real pytest run orphaned the way it happens in the wild: a launcher shell (its own session,
// as `setsid`) starts /usr/bin/python3 -m pytest in the background and is then SIGKILLed, so
// pytest is re-parented onto init with the launcher's session and process group.
import { spawn } from 'node:child_process';
import { shellQuote, statOf } from './realProcs';

export interface OrphanedRun {
  /** The launcher's pid: the session id of the whole run. */
  readonly sid: number;
  readonly root: { readonly pid: number; readonly starttime: number };
}

export async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
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
