// The few synchronous fs calls the reader makes, behind an interface so tests can wrap them
// (to prove environ is never opened, or to inject EACCES, which root cannot get from chmod).
import { closeSync, openSync, readFileSync, readSync, readdirSync, readlinkSync } from 'node:fs';

export interface ProcFs {
  openSync(path: string): number;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  closeSync(fd: number): void;
  readdirSync(path: string): string[];
  readlinkSync(path: string): string;
  readFileSync(path: string): Buffer;
}

export const nodeProcFs: ProcFs = {
  openSync: (path) => openSync(path, 'r'),
  readSync: (fd, buffer, offset, length, position) => readSync(fd, buffer, offset, length, position),
  closeSync: (fd) => closeSync(fd),
  readdirSync: (path) => readdirSync(path),
  readlinkSync: (path) => readlinkSync(path, 'utf8'),
  readFileSync: (path) => readFileSync(path),
};
