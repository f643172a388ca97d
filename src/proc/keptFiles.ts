// Kept-open fds for the small per-process files diagnosis reads every scan (schedstat, stat of a
// descendant, children): one pread at offset 0 instead of open/read/close. Safe under PID reuse
// for the reason fdCache.ts gives: an open /proc/<pid>/* fd is bound to its task and fails with
// ESRCH once that task is reaped (test/real/pidReuse.test.ts), so a read that succeeds is the
// process the entry was opened for. Entries are keyed by identity; those a scan did not touch are
// closed at its end; the count is bounded (beyond it, plain open/read/close).
import type { ProcFs } from './procFs';

interface Entry {
  readonly fd: number;
  touched: number;
}

export class KeptFiles {
  private readonly entries = new Map<string, Entry>();
  private scan = 0;

  constructor(
    private readonly fs: ProcFs,
    /** Most fds kept at once. */
    readonly capacity: number,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /**
   * The file's text, through a kept fd when there is one (re-opened once if that read fails),
   * at most `buffer.length` bytes. Throws what fs throws, for the caller to classify.
   */
  read(key: string, path: string, buffer: Buffer): string {
    const kept = this.entries.get(key);
    if (kept !== undefined) {
      kept.touched = this.scan;
      try {
        return this.readAt(kept.fd, buffer);
      } catch {
        this.drop(key); // ESRCH: its task is gone; a new task with that pid is not this one
      }
    }
    const fd = this.fs.openSync(path);
    let keep = false;
    try {
      const text = this.readAt(fd, buffer);
      keep = this.entries.size < this.capacity;
      if (keep) this.entries.set(key, { fd, touched: this.scan });
      return text;
    } finally {
      if (!keep) this.fs.closeSync(fd);
    }
  }

  /** Starts a scan: entries not read again before the next call to this are closed then. */
  nextScan(): void {
    this.entries.forEach((entry, key) => {
      if (entry.touched !== this.scan) this.drop(key);
    });
    this.scan++;
  }

  clear(): void {
    this.entries.forEach((_entry, key) => this.drop(key));
  }

  private readAt(fd: number, buffer: Buffer): string {
    // /proc serves a small file whole from offset 0 in one read (stat, schedstat, children).
    const n = this.fs.readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.toString('utf8', 0, n);
  }

  private drop(key: string): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    try {
      this.fs.closeSync(entry.fd);
    } catch {
      // already closed
    }
  }
}
