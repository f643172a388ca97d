// The few synchronous fs calls the reader makes, behind an interface so tests can wrap them
// (to prove environ is never opened, or to inject EACCES, which root cannot get from chmod).
import { closeSync, openSync, opendirSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';

/** A directory read a batch of entries at a time, so a long listing can be sliced. */
export interface ProcDir {
  /** The next entry's name, or null at the end. */
  readSync(): string | null;
  closeSync(): void;
}

// Entries fetched per getdents batch: ~2,000 /proc entries take 8 batches, each well under a
// millisecond, and (unlike readdirSync) nothing is sorted or collected into one big array.
const DIR_BATCH_ENTRIES = 256;

export interface ProcFs {
  openSync(path: string): number;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
  readdirSync(path: string): string[];
  opendirSync(path: string): ProcDir;
  readlinkSync(path: string): string;
  readFileSync(path: string): Buffer;
}

export const nodeProcFs: ProcFs = {
  openSync: (path) => openSync(path, 'r'),
  readSync: (fd, buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => closeSync(fd),
  readdirSync: (path) => readdirSync(path),
  opendirSync(path) {
    const dir = opendirSync(path, { bufferSize: DIR_BATCH_ENTRIES });
    return { readSync: () => dir.readSync()?.name ?? null, closeSync: () => dir.closeSync() };
  },
  readlinkSync: (path) => readlinkSync(path, 'utf8'),
  readFileSync: (path) => readFileSync(path),
};
