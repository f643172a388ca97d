// Pure classification of /proc/<pid>/fd/<n> link texts (proc(5) "fd"): what an open fd is.
// `socket:[123]`, `pipe:[456]`, `anon_inode:[eventfd]`, `/dev/nvidia0`, `/home/u/repo/db.sqlite`.

export type FdLink =
  | { readonly kind: 'socket'; readonly inode: number }
  | { readonly kind: 'device'; readonly path: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'other' };

const SOCKET_PREFIX = 'socket:[';
const DELETED_SUFFIX = ' (deleted)';

export function classifyFdLink(target: string): FdLink {
  if (target.startsWith(SOCKET_PREFIX) && target.endsWith(']')) {
    const digits = target.slice(SOCKET_PREFIX.length, -1);
    return /^\d{1,19}$/.test(digits) ? { kind: 'socket', inode: Number(digits) } : { kind: 'other' };
  }
  if (!target.startsWith('/')) return { kind: 'other' }; // pipe:[…], anon_inode:…, net:[…]
  if (target.startsWith('/dev/')) return { kind: 'device', path: target };
  // Pseudo file systems: nothing a next test run could trip over.
  if (target.startsWith('/proc/') || target.startsWith('/sys/')) return { kind: 'other' };
  const path = target.endsWith(DELETED_SUFFIX) ? target.slice(0, -DELETED_SUFFIX.length) : target;
  return { kind: 'file', path };
}

/** GPUs and accelerators a stuck run keeps busy: NVIDIA, DRM render/card nodes, AMD KFD. */
export function isAcceleratorDevice(path: string): boolean {
  return path.startsWith('/dev/nvidia') || path.startsWith('/dev/dri/') || path === '/dev/kfd';
}

/** `path` is `dir` or inside it (component boundary: /repo-old is not inside /repo). */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '/') return path.startsWith('/');
  const base = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  return path === base || (path.startsWith(base) && path.charCodeAt(base.length) === 47);
}

/** The longest of `dirs` that contains `path`, or null. */
export function containingDir(path: string, dirs: readonly string[]): string | null {
  let best: string | null = null;
  for (const dir of dirs) if (isUnder(path, dir) && (best === null || dir.length > best.length)) best = dir;
  return best;
}
