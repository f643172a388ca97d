// One small regular file outside /proc (a repository's .git/HEAD), read safely: a path someone
// else controls may be a FIFO (open would block), a device, or huge. O_NONBLOCK + fstat refuses
// all three before a byte is read; the read is capped.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

/** Reads a whole small file; null when missing, not a regular file, unreadable or over the cap. */
export type SmallFileReader = (path: string) => string | null;

function readSmallFile(path: string, maxBytes: number): string | null {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch {
    return null;
  }
  try {
    const st = fstatSync(fd);
    if (!st.isFile() || st.size > maxBytes) return null;
    const buffer = Buffer.allocUnsafe(maxBytes + 1);
    let total = 0;
    for (;;) {
      const n = readSync(fd, buffer, total, buffer.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes) return null; // grew after fstat
    }
    return buffer.toString('utf8', 0, total);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}

/** The reader the diagnosis uses for git files: 4 KiB is plenty for HEAD and a `gitdir:` line. */
export const gitFileReader: SmallFileReader = (path) => readSmallFile(path, 4096);
