// Reads of files someone else controls: everything under a proc root (a configured root may be
// any folder, and a fake tree may hold a FIFO or a symlink to /dev/zero where cmdline should
// be), and the workspace's env file. Each read opens with O_NONBLOCK (opening a FIFO does not
// wait for a writer), requires a regular file by fstat on the open fd (procfs files are
// regular; a FIFO, a device or a folder is refused before a byte is read), and stops at a size
// cap (a regular file cannot stream forever either). Without this, readFileSync on a FIFO
// blocked the event loop for good, and on /dev/zero grew its buffer until the process aborted
// with bad_alloc, which no try/catch can stop (test/unit/proc/boundedRead.test.ts).
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';

/** O_NOCTTY: a terminal device must never become our controlling terminal. */
export const SAFE_OPEN_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY;

/** stat, status, cgroup, uptime, comm: a few hundred bytes to a few KiB on any kernel. */
export const MAX_SMALL_FILE_BYTES = 64 * 1024;
/**
 * cmdline: the kernel caps argv plus environment at a quarter of the stack limit, at most
 * 6 MiB (fs/exec.c, _STK_LIM / 4 * 3), so a real cmdline always fits.
 */
export const MAX_CMDLINE_BYTES = 8 * 1024 * 1024;

/** A file that is not a regular file (FIFO, device, socket, folder): `code` EFTYPE. */
function notRegularError(path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${path}: not a regular file`), { code: 'EFTYPE' });
}

/** A file larger than the cap: `code` EFBIG. */
export function tooBigError(path: string, maxBytes: number): NodeJS.ErrnoException {
  return Object.assign(new Error(`${path}: larger than ${maxBytes} bytes`), { code: 'EFBIG' });
}

/** open(O_NONBLOCK) + fstat: the fd of a regular file, or a throw (the fd is closed then). */
export function openRegularSync(path: string): number {
  const fd = openSync(path, SAFE_OPEN_FLAGS);
  let regular = false;
  try {
    regular = fstatSync(fd).isFile();
  } finally {
    if (!regular) closeSync(fd);
  }
  if (!regular) throw notRegularError(path);
  return fd;
}

const PAGE_BYTES = 4096;

// One scratch buffer for the synchronous reads (they cannot interleave); grown on demand up to
// the largest cap asked for, then kept.
let scratch = Buffer.allocUnsafe(64 * 1024);

/**
 * Reads a whole regular file of at most `maxBytes` from an fd opened by openRegularSync,
 * from offset 0 on. Returns the number of bytes now in `scratchBuffer()`. Throws EFBIG beyond
 * the cap.
 */
function readAllSync(fd: number, path: string, maxBytes: number): number {
  let total = 0;
  for (;;) {
    if (total === scratch.length) {
      if (total > maxBytes) throw tooBigError(path, maxBytes);
      const bigger = Buffer.allocUnsafe(Math.min(scratch.length * 2, maxBytes + 1));
      scratch.copy(bigger, 0, 0, total);
      scratch = bigger;
    }
    const wanted = scratch.length - total;
    const n = readSync(fd, scratch, total, wanted, total);
    total += n;
    if (total > maxBytes) throw tooBigError(path, maxBytes);
    // procfs serves at most a page per read(): only a short read under a page proves the end,
    // which saves the read() that would return 0 for the common small file.
    if (n === 0 || (n < wanted && n < PAGE_BYTES)) break;
  }
  return total;
}

/** The whole file as UTF-8 text; see the header for what is refused. Throws what fs throws. */
export function readTextBoundedSync(path: string, maxBytes: number): string {
  const fd = openRegularSync(path);
  try {
    return scratch.toString('utf8', 0, readAllSync(fd, path, maxBytes));
  } finally {
    closeSync(fd);
  }
}

/** The whole file as a Buffer of its own; see the header for what is refused. */
export function readBoundedSync(path: string, maxBytes: number): Buffer {
  const fd = openRegularSync(path);
  try {
    return Buffer.from(scratch.subarray(0, readAllSync(fd, path, maxBytes)));
  } finally {
    closeSync(fd);
  }
}

/**
 * The asynchronous twin (the env file, the kill's identity reads): open and read on the thread
 * pool, which a FIFO opened without O_NONBLOCK would block for good. Rejects what fs rejects,
 * EFTYPE for a file that is not regular, EFBIG beyond the cap.
 */
export async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, SAFE_OPEN_FLAGS);
  try {
    if (!(await handle.stat()).isFile()) throw notRegularError(path);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, total);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
      if (total > maxBytes) throw tooBigError(path, maxBytes);
    }
    return Buffer.concat(chunks, total);
  } finally {
    await handle.close();
  }
}

/** readBounded as UTF-8 text. */
export async function readTextBounded(path: string, maxBytes: number): Promise<string> {
  return (await readBounded(path, maxBytes)).toString('utf8');
}
