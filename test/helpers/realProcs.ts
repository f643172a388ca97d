// Real processes for tests: orphaned "pytest" processes (double fork: the launcher shell exits,
// the child is re-parented onto init or the nearest subreaper), each tracked so the test can
// always clean up what it started, by pid.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readProcessIdentity } from '../../src/proc/readProcess';
import type { KillTarget } from '../../src/proc/kill';

const started = new Set<number>();

/**
 * Runs `inner` (a bash script) in the background of a shell that exits at once, so the script's
 * process is orphaned. `inner` should end in `exec -a pytest …`. Resolves once argv[0] is pytest.
 */
export async function spawnOrphan(inner: string): Promise<KillTarget> {
  const out = execFileSync(
    'bash',
    ['-c', `bash -c ${shellQuote(inner)} </dev/null >/dev/null 2>&1 & echo $!`],
    { encoding: 'utf8' },
  );
  const pid = Number(out.trim());
  started.add(pid);
  for (let i = 0; i < 200; i++) {
    const id = await readProcessIdentity('/proc', pid);
    if (
      id.kind === 'ok' &&
      id.argv[0] === 'pytest' &&
      (id.argv.length < 2 || id.argv[1] !== '-c' || childrenOf(pid).length > 0)
    ) {
      return { pid, starttime: id.starttime, argv: id.argv };
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`pid ${pid} never became pytest`);
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

export function track(pid: number): void {
  started.add(pid);
}

/** True while the process runs (a zombie counts as gone: it has exited). */
export function isRunning(pid: number, starttime: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] === String(starttime) && fields[0] !== 'Z';
  } catch {
    return false;
  }
}

/** SIGKILL whatever this file started and still runs (by pid). */
export function killStarted(): void {
  for (const pid of started) {
    for (const child of childrenOf(pid)) {
      try {
        process.kill(child, 'SIGKILL');
      } catch {
        // gone
      }
    }
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  started.clear();
}

export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
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
