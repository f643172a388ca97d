// Real processes for tests, in one place: orphaned "pytest" processes (double fork: the launcher
// shell exits, the child is re-parented onto init or the nearest subreaper), each tracked so the
// test can always clean up what it started, by pid; reading their state back from the real
// /proc; waiting.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseStat } from '../../src/proc/parseStat';
import type { StatFields } from '../../src/proc/parseStat';
import { parseUptime } from '../../src/proc/parseUptime';
import { readProcessIdentity } from '../../src/proc/readProcess';
import type { KillTarget } from '../../src/proc/kill';

const started = new Set<number>();

/**
 * Runs `inner` (a bash script) in the background of a shell that exits at once, so the script's
 * process is orphaned. `inner` should end in `exec -a <program> …` (default program: pytest).
 * Resolves once argv[0] is that program (and a `<program> -c` script has started its children).
 */
export async function spawnOrphan(inner: string, program = 'pytest'): Promise<KillTarget> {
  const out = execFileSync(
    'bash',
    ['-c', `bash -c ${shellQuote(inner)} </dev/null >/dev/null 2>&1 & echo $!`],
    { encoding: 'utf8' },
  );
  const pid = Number(out.trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`bad pid from spawn: ${out}`);
  started.add(pid);
  for (let i = 0; i < 200; i++) {
    const id = await readProcessIdentity('/proc', pid);
    if (
      id.kind === 'ok' &&
      id.argv[0] === program &&
      (id.argv.length < 2 || id.argv[1] !== '-c' || childrenOf(pid).length > 0)
    ) {
      return { pid, starttime: id.starttime, argv: id.argv };
    }
    await sleep(10);
  }
  throw new Error(`pid ${pid} never became ${program}`);
}

/** Direct children, from /proc/<pid>/task/<pid>/children (CONFIG_PROC_CHILDREN, present here). */
export function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .split(' ')
      .filter((s) => s.trim() !== '')
      .map(Number);
  } catch {
    return [];
  }
}

/** Have killStarted() clean up a process this test started some other way. */
export function track(pid: number): void {
  started.add(pid);
}

/** The stat fields of a pid now, or null when it is gone (or its stat unreadable). */
export function statOf(pid: number): StatFields | null {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return stat.ok ? stat.value : null;
  } catch {
    return null;
  }
}

/** True while that process (pid + starttime) runs; a zombie counts as gone: it has exited. */
export function isRunning(pid: number, starttime: number): boolean {
  const stat = statOf(pid);
  return stat !== null && stat.starttime === starttime && stat.state !== 'Z';
}

/** SIGKILL whatever this file started and still runs (by pid), and their direct children. */
export function killStarted(): void {
  for (const pid of started) {
    for (const child of childrenOf(pid)) signalQuietly(child);
    signalQuietly(pid);
  }
  started.clear();
}

function signalQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone
  }
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Seconds since boot, from the real /proc/uptime. */
export function uptimeSeconds(): number {
  const result = parseUptime(readFileSync('/proc/uptime', 'utf8'));
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` every 20 ms; false if it still fails after `timeoutMs`. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
  return true;
}

/** Polls `check` every 20 ms; throws, naming `what`, if it still fails after `timeoutMs`. */
export async function waitUntil(what: string, check: () => boolean, timeoutMs: number): Promise<void> {
  if (!(await waitFor(check, timeoutMs))) throw new Error(`timed out waiting for ${what}`);
}

/**
 * Shell lines that really recycle a pid inside a private pid namespace (run them under
 * `unshare --pid --fork --mount-proc bash -c`): start a fake pytest P, note its starttime ST,
 * SIGKILL it, write P-1 to ns_last_pid and start another fake pytest Q, which gets the same pid
 * with a later starttime. Callers append what they do with $P, $ST and $Q.
 */
export const RECYCLE_PID_SHELL: readonly string[] = [
  "bash -c 'exec -a pytest sleep 300' & P=$!",
  'sleep 0.2; ST=$(cut -d" " -f22 /proc/$P/stat)',
  'kill -9 $P; wait $P 2>/dev/null',
  'echo $((P-1)) > /proc/sys/kernel/ns_last_pid',
  "bash -c 'exec -a pytest sleep 300' & Q=$!",
];
