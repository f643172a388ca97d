// Counts what a scan reads under the proc root, by kind of file and by pid, through the ProcFs
// seam: the bench prints it (issue 11 item 9, issue 13 item 5: extra reads only for matches and
// their descendants, net tables at most once per scan, cwd only for orphans and lineage, fds only
// for undecided orphans), and unit tests pin those rules with it. Not used by the scanners
// themselves: wrapping every call costs a little, so the bench's timed scans never go through it.
import type { ProcFs } from './procFs';

export type ReadKind =
  | 'listing'
  | 'uptime'
  | 'bootId'
  | 'cmdline'
  | 'stat'
  | 'status'
  | 'cgroup'
  | 'schedstat'
  | 'wchan'
  | 'children'
  | 'taskList'
  | 'cwd'
  | 'fdList'
  | 'fdLink'
  | 'netNs'
  | 'net'
  | 'other';

/** One read: what kind of file, and the pid folder it is under (null for the root's own files). */
export interface ReadEvent {
  readonly kind: ReadKind;
  readonly pid: number | null;
}

const PID_FILES: Readonly<Record<string, ReadKind>> = {
  cmdline: 'cmdline',
  stat: 'stat',
  status: 'status',
  cgroup: 'cgroup',
  schedstat: 'schedstat',
  wchan: 'wchan',
  cwd: 'cwd',
};

/** Kind and pid of `path` under `rootSlash` (the proc root with a trailing slash). */
export function readKindOf(rootSlash: string, path: string): ReadEvent {
  if (!path.startsWith(rootSlash))
    return { kind: path === rootSlash.slice(0, -1) ? 'listing' : 'other', pid: null };
  const rest = path.slice(rootSlash.length);
  if (rest === '') return { kind: 'listing', pid: null };
  if (rest === 'uptime') return { kind: 'uptime', pid: null };
  if (rest === 'sys/kernel/random/boot_id') return { kind: 'bootId', pid: null };
  const slash = rest.indexOf('/');
  const pid = Number(slash < 0 ? rest : rest.slice(0, slash));
  if (!Number.isInteger(pid) || slash < 0) return { kind: 'other', pid: null };
  const file = rest.slice(slash + 1);
  const known = PID_FILES[file];
  if (known !== undefined) return { kind: known, pid };
  if (file === 'fd' || file === 'fd/') return { kind: 'fdList', pid };
  if (file.startsWith('fd/')) return { kind: 'fdLink', pid };
  if (file === 'ns/net') return { kind: 'netNs', pid };
  if (file.startsWith('net/')) return { kind: 'net', pid };
  if (file === 'task' || file === 'task/') return { kind: 'taskList', pid };
  if (file.startsWith('task/') && file.endsWith('/children')) return { kind: 'children', pid };
  return { kind: 'other', pid };
}

export interface CountingProcFs extends ProcFs {
  /** Every read since the last `take()`, in order (a pread through a kept fd counts as its file). */
  take(): ReadEvent[];
}

/**
 * `fs` with every read recorded: whole-file reads, reads through an fd (a kept one included),
 * readlinks and listings. Opening is not a read (a read follows it).
 */
export function countingProcFs(fs: ProcFs, procRoot: string): CountingProcFs {
  const rootSlash = procRoot.endsWith('/') ? procRoot : `${procRoot}/`;
  const byFd = new Map<number, ReadEvent>();
  let events: ReadEvent[] = [];
  const record = (path: string): void => {
    events.push(readKindOf(rootSlash, path));
  };
  return {
    take() {
      const out = events;
      events = [];
      return out;
    },
    openSync(path) {
      const fd = fs.openSync(path);
      byFd.set(fd, readKindOf(rootSlash, path));
      return fd;
    },
    readSync(fd, buffer, offset, length, position) {
      events.push(byFd.get(fd) ?? { kind: 'other', pid: null });
      return fs.readSync(fd, buffer, offset, length, position);
    },
    closeSync(fd) {
      byFd.delete(fd);
      fs.closeSync(fd);
    },
    readdir: async (path) => (record(path), fs.readdir(path)),
    readdirSync: (path) => (record(path), fs.readdirSync(path)),
    readlinkSync: (path) => (record(path), fs.readlinkSync(path)),
    readFileSync: (path) => (record(path), fs.readFileSync(path)),
    readTextSync: (path) => (record(path), fs.readTextSync(path)),
  };
}

/** Reads by kind, for printing. */
export function countByKind(events: readonly ReadEvent[]): Partial<Record<ReadKind, number>> {
  const out: Partial<Record<ReadKind, number>> = {};
  for (const e of events) out[e.kind] = (out[e.kind] ?? 0) + 1;
  return out;
}
