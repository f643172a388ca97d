// The wait between SIGTERM and the SIGKILL offer: poll until every signalled process is gone or
// the grace period is over. Clock and sleep are injected, so the engine's tests run instantly.
import type { KillTarget } from './kill';
import { readProcessIdentity } from './readProcess';

/** killGraceSeconds default: time SIGTERM gets before SIGKILL is offered. */
export const DEFAULT_KILL_GRACE_SECONDS = 5;

export interface GraceClock {
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly nowMs?: () => number;
}

export interface GraceOptions extends GraceClock {
  readonly graceMs: number;
}

/**
 * After SIGTERM: wait up to graceMs (returning early once all are gone), then return the
 * targets that still run with the same identity. Those, and only those, are what a confirmed
 * SIGKILL step may signal (each re-verified once more by killProcess).
 */
export async function survivorsAfterGrace(
  targets: readonly KillTarget[],
  procRoot: string,
  options: GraceOptions,
): Promise<KillTarget[]> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const nowMs = options.nowMs ?? Date.now;
  const pollMs = options.pollMs ?? 100;
  const deadline = nowMs() + options.graceMs;
  let alive = await stillRunning(targets, procRoot);
  while (alive.length > 0 && nowMs() < deadline) {
    await sleep(Math.min(pollMs, Math.max(0, deadline - nowMs())));
    alive = await stillRunning(alive, procRoot);
  }
  return alive;
}

async function stillRunning(targets: readonly KillTarget[], procRoot: string): Promise<KillTarget[]> {
  const alive: KillTarget[] = [];
  for (const target of targets) {
    const now = await readProcessIdentity(procRoot, target.pid);
    // Denied/malformed: cannot tell, keep it so the user sees it rather than a false "gone".
    if (now.kind === 'vanished') continue;
    if (now.kind === 'ok' && (now.starttime !== target.starttime || now.state === 'Z' || now.state === 'X'))
      continue;
    alive.push(target);
  }
  return alive;
}
