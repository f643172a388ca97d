// Helpers for tests against the real /proc: spawning orphans, waiting, and cleaning up.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseStat } from '../../src/proc/parseStat';
import { parseUptime } from '../../src/proc/parseUptime';

export function uptimeSeconds(): number {
  const result = parseUptime(readFileSync('/proc/uptime', 'utf8'));
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

/**
 * Starts `exec -a <name> sleep <seconds>` in a subshell put in the background by a bash that
 * then exits (double fork): the sleeper is re-parented onto init or the nearest subreaper.
 * Returns its pid.
 */
export function spawnOrphan(name: string, seconds: number): number {
  const out = execFileSync(
    'bash',
    ['-c', `(exec -a ${name} sleep ${seconds}) </dev/null >/dev/null 2>&1 & echo $!`],
    {
      encoding: 'utf8',
    },
  );
  const pid = Number(out.trim());
  if (!Number.isInteger(pid) || pid <= 1) throw new Error(`bad pid from spawn: ${out}`);
  return pid;
}

export function ppidOf(pid: number): number | null {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return stat.ok ? stat.value.ppid : null;
  } catch {
    return null;
  }
}

/** Gone, or a zombie that whoever adopted it has not reaped yet. */
export function isGoneOrZombie(pid: number): boolean {
  try {
    const stat = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return !stat.ok || stat.value.state === 'Z';
  } catch {
    return true;
  }
}

export function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}
