// Orphan detection: a process re-parented onto a reaper after its launcher died.

/**
 * Comms of the processes that adopt orphans: container inits (tini, docker-init = tini under
 * `docker run --init`, dumb-init, catatonit = podman's), s6's supervisor, and init/systemd. A
 * `systemd --user` instance is a child subreaper (PR_SET_CHILD_SUBREAPER) whose comm is also
 * "systemd", so orphans of a desktop session that land on it are caught by the same name.
 */
export const DEFAULT_REAPERS: readonly string[] = [
  'tini',
  'docker-init',
  'dumb-init',
  'catatonit',
  's6-svscan',
  'systemd',
  'init',
];

/** ppid 0 (parent outside our pid namespace) or 1, or a parent whose comm is a known reaper. */
export function isOrphaned(ppid: number, parentComm: string | null, reapers: readonly string[]): boolean {
  if (ppid <= 1) return true;
  return parentComm !== null && reapers.includes(parentComm);
}
