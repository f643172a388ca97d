// What to tell a user whose kill got EPERM: the command they can run instead. Pure.

/** SIGCONT wakes a stopped process after SIGTERM, which it only acts on once running. */
export type KillSignal = 'SIGTERM' | 'SIGKILL' | 'SIGCONT';

/**
 * In a container (cgroup names one) and in a nested pid namespace (NSpid has more than one
 * entry), `kill` must run inside the container with the pid as the container sees it: the LAST
 * NSpid entry (innermost). Otherwise `sudo kill` on the pid we see.
 */
export function suggestKillCommand(
  pid: number,
  signal: KillSignal,
  containerId: string | null,
  nspid: readonly number[] | null,
): string {
  const name = signal.slice('SIG'.length);
  const innermost = nspid !== null && nspid.length > 1 ? nspid[nspid.length - 1] : undefined;
  if (containerId !== null && innermost !== undefined) {
    // 12 hex digits is docker's short id; docker/podman accept any unique prefix.
    return `docker exec ${containerId.slice(0, 12)} kill -${name} ${innermost}`;
  }
  return `sudo kill -${name} ${pid}`;
}
