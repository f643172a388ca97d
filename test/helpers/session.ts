// Real-process tests that start whole runs (a launcher, pytest, its workers and children) clean
// up by session: every process whose stat says session == sid, SIGKILLed, by pid.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { parseStat } from '../../src/proc/parseStat';

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
export function pythonTestTools(): string | null {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import pytest, xdist, setproctitle'], { encoding: 'utf8' });
  if (r.status === 0) return null;
  return `/usr/bin/python3 cannot import pytest, xdist and setproctitle (apt-get install python3-pytest python3-pytest-xdist python3-setproctitle): ${(r.stderr ?? String(r.error)).trim().split('\n').pop() ?? ''}`;
}
