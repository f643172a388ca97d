// One small regular file outside /proc (a repository's .git/HEAD), read safely: a path someone
// else controls may be a FIFO (open would block), a device, or huge. boundedRead.ts's read
// (O_NONBLOCK, fstat, a cap) refuses all three before a byte is read.
import { readTextBoundedSync } from './boundedRead';

/** Reads a whole small file; null when missing, not a regular file, unreadable or over the cap. */
export type SmallFileReader = (path: string) => string | null;

function readSmallFile(path: string, maxBytes: number): string | null {
  try {
    return readTextBoundedSync(path, maxBytes);
  } catch {
    return null;
  }
}

/** The reader the diagnosis uses for git files: 4 KiB is plenty for HEAD and a `gitdir:` line. */
export const gitFileReader: SmallFileReader = (path) => readSmallFile(path, 4096);
