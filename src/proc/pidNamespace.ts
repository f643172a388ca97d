// Can this extension host see the whole machine's processes? Inside a container with its own
// PID namespace (the Docker default) only that container's processes exist in /proc, so an
// orphan on the host or in a sibling container is invisible: the UI must say so (DESIGN.md),
// and only then. Images that carry /.dockerenv but run a whole OS (a VM's init as PID 1, every
// process visible) are not partial views: the verdict needs BOTH a PID 1 that is a container
// entrypoint AND a PID namespace that is not the initial one, wherever that can be read.
// No `vscode` here: the decision is pure and the reads are a few small files.
import { access, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface PidNamespaceEvidence {
  /** comm of PID 1 as this process sees it, null when unreadable. */
  readonly pid1Comm: string | null;
  /**
   * Is the proc root's PID namespace the initial (host) one? true: kthreadd (PID 2) is visible,
   * or ns/pid is the initial namespace's inode; false: ns/pid names another one; null: unknown.
   */
  readonly initialNamespace: boolean | null;
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
// namespace has its entrypoint as PID 1: tini, docker-init, bash, node…
const HOST_INITS = new Set(['systemd', 'init', 'launchd']);
const RUNTIME_IN_CGROUP = /docker|containerd|podman|libpod|kubepods|lxc|crio/;
/** PROC_PID_INIT_INO (include/linux/proc_ns.h): the initial PID namespace's inode, fixed since 3.8. */
const INITIAL_PID_NS_INODE = 0xeffffffc;

/**
 * Isolated = a PID 1 that is not a host init AND a PID namespace that is not the initial one.
 * Where the namespace cannot be read at all, container markers stand in for it.
 */
export function decidePidNamespace(evidence: PidNamespaceEvidence): PidNamespaceVerdict {
  const entrypoint = evidence.pid1Comm === null || !HOST_INITS.has(evidence.pid1Comm);
  const nested =
    evidence.initialNamespace === null
      ? evidence.containerMarker || evidence.containerCgroup
      : !evidence.initialNamespace;
  return { isolated: entrypoint && nested, evidence };
}

/** `pid:[4026531836]` -> 4026531836; null for anything else. */
export function parseNamespaceLink(link: string | null): number | null {
  const m = link === null ? null : /^pid:\[(\d{1,20})\]$/.exec(link.trim());
  return m?.[1] === undefined ? null : Number(m[1]);
}

/** Kernel threads (kthreadd is PID 2) exist only in the initial PID namespace. */
function initialFrom(kthreaddComm: string | null, nsInode: number | null): boolean | null {
  if (kthreaddComm === 'kthreadd') return true;
  if (nsInode !== null) return nsInode === INITIAL_PID_NS_INODE;
  return null;
}

async function readText(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

async function readLink(path: string): Promise<string | null> {
  try {
    return await readlink(path);
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
  // /proc/1/ns/pid needs ptrace rights over PID 1 (often denied, even to root in a sandbox);
  // `self` is always readable and lives in the same namespace as the proc root's PID 1 unless
  // a foreign /proc is mounted there, in which case PID 1 is that namespace's init anyway.
  const [comm, cgroup, kthreadd, ns1, nsSelf, dockerenv, containerenv] = await Promise.all([
    readText(join(procRoot, '1', 'comm')),
    readText(join(procRoot, '1', 'cgroup')),
    readText(join(procRoot, '2', 'comm')),
    readLink(join(procRoot, '1', 'ns', 'pid')),
    readLink(join(procRoot, 'self', 'ns', 'pid')),
    exists(join(rootDir, '.dockerenv')),
    exists(join(rootDir, 'run', '.containerenv')),
  ]);
  return decidePidNamespace({
    pid1Comm: comm === null ? null : comm.trim(),
    initialNamespace: initialFrom(kthreadd?.trim() ?? null, parseNamespaceLink(ns1 ?? nsSelf)),
    containerMarker: dockerenv || containerenv,
    containerCgroup: cgroup !== null && RUNTIME_IN_CGROUP.test(cgroup),
  });
}
