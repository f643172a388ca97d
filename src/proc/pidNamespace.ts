// Can this extension host see the whole machine's processes? Inside a container with its own
// PID namespace (the Docker default) only that container's processes exist in /proc, so an
// orphan on the host or in a sibling container is invisible: the UI must say so (DESIGN.md).
// No `vscode` here: the decision is pure and the reads are three small files.
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { MAX_SMALL_FILE_BYTES, readTextBounded } from './boundedRead';

export interface PidNamespaceEvidence {
  /** comm of PID 1 as this process sees it, null when unreadable. */
  readonly pid1Comm: string | null;
  /** /.dockerenv or /run/.containerenv exists (Docker, Podman). */
  readonly containerMarker: boolean;
  /** /proc/1/cgroup names a container runtime (docker, containerd, podman, kubepods, lxc). */
  readonly containerCgroup: boolean;
}

export interface PidNamespaceVerdict {
  /** True: only this container's processes are visible. */
  readonly isolated: boolean;
  readonly evidence: PidNamespaceEvidence;
}

// With `--pid=host` (or on a bare machine) PID 1 is the host's init. A container's own PID
// namespace has its entrypoint as PID 1: tini, docker-init, bash, node… NSpid of /proc/self is
// no help from inside: with a container-mounted /proc it lists one pid either way.
const HOST_INITS = new Set(['systemd', 'init', 'launchd']);
const RUNTIME_IN_CGROUP = /docker|containerd|podman|libpod|kubepods|lxc|crio/;

/** Isolated = evidence of a container AND a PID 1 that is not a host init. */
export function decidePidNamespace(evidence: PidNamespaceEvidence): PidNamespaceVerdict {
  const inContainer = evidence.containerMarker || evidence.containerCgroup;
  const hostInit = evidence.pid1Comm !== null && HOST_INITS.has(evidence.pid1Comm);
  return { isolated: inContainer && !hostInit, evidence };
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readTextBounded(path, MAX_SMALL_FILE_BYTES);
  } catch {
    return null;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads the evidence; never rejects. `rootDir` and `procRoot` are parameters for tests. */
export async function detectPidNamespace(procRoot = '/proc', rootDir = '/'): Promise<PidNamespaceVerdict> {
  const [comm, cgroup, dockerenv, containerenv] = await Promise.all([
    readText(join(procRoot, '1', 'comm')),
    readText(join(procRoot, '1', 'cgroup')),
    exists(join(rootDir, '.dockerenv')),
    exists(join(rootDir, 'run', '.containerenv')),
  ]);
  return decidePidNamespace({
    pid1Comm: comm === null ? null : comm.trim(),
    containerMarker: dockerenv || containerenv,
    containerCgroup: cgroup !== null && RUNTIME_IN_CGROUP.test(cgroup),
  });
}
