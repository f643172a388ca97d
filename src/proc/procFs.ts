// The few synchronous fs calls the reader makes, behind an interface so tests can wrap them
// (to prove environ is never opened, or to inject EACCES, which root cannot get from chmod).
import { closeSync, openSync, readFileSync, readSync, readdir, readlinkSync } from 'node:fs';

export interface ProcFs {
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
  readlinkSync(path: string): string;
  readFileSync(path: string): Buffer;
  /**
   * A whole small file as UTF-8 text in one call (open, read to the end and close all in C++):
   * what the first scan reads every cmdline with, while V8 still interprets this code and each
   * JS-level fs call costs several microseconds of argument validation.
   */
  readTextSync(path: string): string;
}

// A constant options object: readFileSync then skips copying default options per call.
const UTF8_READ = { encoding: 'utf8', flag: 'r' } as const;

export const nodeProcFs: ProcFs = {
  openSync: (path) => openSync(path, 'r'),
  readSync: (fd, buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => closeSync(fd),
  readdir: (path) =>
    new Promise((resolve, reject) => {
      readdir(path, (error, names) => (error ? reject(error) : resolve(names)));
    }),
  readlinkSync: (path) => readlinkSync(path, 'utf8'),
  readFileSync: (path) => readFileSync(path),
  readTextSync: (path) => readFileSync(path, UTF8_READ),
};
