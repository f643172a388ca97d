// One growable buffer reused for every small /proc read of a scan: no allocation per process.
// Capped: a file that would not fit MAX_CMDLINE_BYTES (or the caller's cap) throws EFBIG, so a
// fake proc root's endless file cannot grow it until the process aborts.
import { MAX_CMDLINE_BYTES, tooBigError } from './boundedRead';
import type { ProcFs } from './procFs';

// /proc cmdline/stat reads are served at most one page per read() on older kernels, so only a
// read shorter than a page proves end of file; this saves the extra read() that returns 0 for
// the common small file (one syscall per file, as in the C floor).
const PAGE_BYTES = 4096;

// Views are cached by length: a new Buffer view per read would be ~2,000 short-lived objects a
// scan, and command lines repeat lengths a lot (`sleep 600`). Cleared when it grows past this.
const MAX_CACHED_VIEWS = 4096;

export class ReadBuffer {
  private buffer: Buffer;
  private readonly views = new Map<number, Buffer>();

  constructor(initialBytes = 64 * 1024) {
    this.buffer = Buffer.allocUnsafe(initialBytes);
  }

  /**
   * Reads a whole file through `fd` into the shared buffer and returns a view of it, valid until
   * the next read (copy it to keep it). `positional` reads from offset 0 with pread (a kept fd re-read each scan).
   * Throws what fs throws (the caller classifies it).
   */
  readFd(fs: ProcFs, fd: number, positional: boolean, maxBytes = MAX_CMDLINE_BYTES): Buffer {
    let total = 0;
    for (;;) {
      if (total === this.buffer.length) {
        if (total > maxBytes) throw tooBigError(`fd ${fd}`, maxBytes);
        const bigger = Buffer.allocUnsafe(Math.min(this.buffer.length * 2, maxBytes + 1));
        this.buffer.copy(bigger, 0, 0, total);
        this.buffer = bigger;
        this.views.clear();
      }
      const wanted = this.buffer.length - total;
      const n = fs.readSync(fd, this.buffer, total, wanted, positional ? total : null);
      total += n;
      if (total > maxBytes) throw tooBigError(`fd ${fd}`, maxBytes);
      if (n === 0 || (n < wanted && n < PAGE_BYTES)) break;
    }
    return this.view(total);
  }

  private view(length: number): Buffer {
    let view = this.views.get(length);
    if (view === undefined) {
      if (this.views.size >= MAX_CACHED_VIEWS) this.views.clear();
      view = this.buffer.subarray(0, length);
      this.views.set(length, view);
    }
    return view;
  }

  /** open + read + close. Throws what fs throws. */
  readPath(fs: ProcFs, path: string): Buffer {
    const fd = fs.openSync(path);
    try {
      return this.readFd(fs, fd, false);
    } finally {
      fs.closeSync(fd);
    }
  }
}
