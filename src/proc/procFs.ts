// The few synchronous fs calls the reader makes, behind an interface so tests can wrap them
// (to prove environ is never opened, or to inject EACCES, which root cannot get from chmod).
// Every open is boundedRead's: O_NONBLOCK, regular files only, size-capped.
import { closeSync, readSync, readdir, readdirSync, readlinkSync } from 'node:fs';
import {
  MAX_CMDLINE_BYTES,
  MAX_SMALL_FILE_BYTES,
  openRegularSync,
  readBoundedSync,
  readTextBoundedSync,
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

export const nodeProcFs: ProcFs = {
  openSync: (path) => openRegularSync(path),
  readSync: (fd, buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => closeSync(fd),
  readdir: (path) =>
    new Promise((resolve, reject) => {
      readdir(path, (error, names) => (error ? reject(error) : resolve(names)));
    }),
  readdirSync: (path) => readdirSync(path),
  readlinkSync: (path) => readlinkSync(path, 'utf8'),
  readFileSync: (path) => readBoundedSync(path, MAX_SMALL_FILE_BYTES),
  readTextSync: (path) => readTextBoundedSync(path, MAX_CMDLINE_BYTES),
};
