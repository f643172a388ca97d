// The few synchronous fs calls the reader makes, behind an interface so tests can wrap them
// (to prove environ is never opened, or to inject EACCES, which root cannot get from chmod).
//
// Every open is O_NONBLOCK and refuses what is not a regular file (boundedRead.ts): a proc root
// may be any folder, and a FIFO or a /dev/zero symlink there hung or aborted the reader. Under a
// real procfs mount that is known without asking each file: procfs makes every per-process file
// we open itself, regular and of bounded size (its symlinks, cwd, exe, root and fd/*, are only
// ever readlink'd). So when statfs says a process folder's parent is procfs, the file is opened
// O_NONBLOCK without the fstat and a whole-file read is one native call: the cold scan reads
// ~2,000 cmdlines that way. Any other root gets every check on every file.
import {
  closeSync,
  openSync,
  readFileSync,
  readSync,
  readdir,
  readdirSync,
  readlinkSync,
  statfsSync,
} from 'node:fs';
import {
  MAX_CMDLINE_BYTES,
  MAX_SMALL_FILE_BYTES,
  openRegularSync,
  readBoundedSync,
  readTextBoundedSync,
  SAFE_OPEN_FLAGS,
} from './boundedRead';

export interface ProcFs {
  /** A regular file's fd, opened O_NONBLOCK; throws EFTYPE for anything else (FIFO, device). */
  openSync(path: string): number;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
  /**
   * The names in a directory, listed on the libuv thread pool: the event loop is not blocked
   * while the kernel walks the process table, and no per-entry Dirent is built in JS (an
   * opendir walk is dear per entry while V8 still interprets it). All or nothing, so a
   * listing that breaks midway cannot pass for processes that exited.
   */
  readdir(path: string): Promise<string[]>;
  /** A small directory's names (a process's fd/ or task/ folder: diagnosis of matches only). */
  readdirSync(path: string): string[];
  readlinkSync(path: string): string;
  /** A whole small file (at most MAX_SMALL_FILE_BYTES); regular files only. */
  readFileSync(path: string): Buffer;
  /**
   * A whole file as UTF-8 text (at most MAX_CMDLINE_BYTES), open to close in one call: what the
   * first scan reads every cmdline with, and status/cgroup of matches. Regular files only.
   */
  readTextSync(path: string): string;
}

/** statfs(2) f_type of procfs (linux/magic.h PROC_SUPER_MAGIC). */
const PROC_SUPER_MAGIC = 0x9fa0;
const trusted = new Map<string, boolean>();
/** Entries of a process folder that are symlinks to anything (never opened, but never trusted). */
const LINKS = /\/(?:cwd|exe|root)$|\/(?:fd|map_files)\//;

/**
 * Whether `path` (`<root>/<pid>/<file>`, or deeper) lies on procfs: statfs of the folder two
 * levels up, remembered (a handful of roots in practice; the map is bounded anyway).
 */
function onProcfs(path: string): boolean {
  if (LINKS.test(path)) return false;
  const parent = path.lastIndexOf('/', path.lastIndexOf('/') - 1);
  const dir = parent <= 0 ? '/' : path.slice(0, parent);
  let known = trusted.get(dir);
  if (known === undefined) {
    try {
      known = statfsSync(dir).type === PROC_SUPER_MAGIC;
    } catch {
      known = false;
    }
    if (trusted.size >= 256) trusted.clear();
    trusted.set(dir, known);
  }
  return known;
}

// Node takes open(2) flags as a number here (fs.open's `flags`); its types only say string.
const NONBLOCK_FLAG = SAFE_OPEN_FLAGS as unknown as string;
const PROCFS_TEXT = { encoding: 'utf8', flag: NONBLOCK_FLAG } as const;
const PROCFS_BYTES = { flag: NONBLOCK_FLAG } as const;

export const nodeProcFs: ProcFs = {
  openSync: (path) => (onProcfs(path) ? openSync(path, SAFE_OPEN_FLAGS) : openRegularSync(path)),
  readSync: (fd, buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => closeSync(fd),
  readdir: (path) =>
    new Promise((resolve, reject) => {
      readdir(path, (error, names) => (error ? reject(error) : resolve(names)));
    }),
  readdirSync: (path) => readdirSync(path),
  readlinkSync: (path) => readlinkSync(path, 'utf8'),
  readFileSync: (path) =>
    onProcfs(path) ? readFileSync(path, PROCFS_BYTES) : readBoundedSync(path, MAX_SMALL_FILE_BYTES),
  readTextSync: (path) =>
    onProcfs(path) ? readFileSync(path, PROCFS_TEXT) : readTextBoundedSync(path, MAX_CMDLINE_BYTES),
};
