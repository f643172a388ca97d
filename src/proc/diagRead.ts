// The reads diagnosis makes under a proc root, for matches and their descendants only: each
// one small, size-capped, through the ProcFs seam (tests wrap it to inject EACCES, which root
// cannot get from chmod), failures classified once and returned as values, never thrown.
import { classifyError } from './errors';
import type { ProcErrorKind } from './errors';
import { parseCmdline } from './parseCmdline';
import { parseStat } from './parseStat';
import type { StatFields } from './parseStat';
import type { ProcFs } from './procFs';
import { KeptFiles } from './keptFiles';
import { parseChildren } from './parseChildren';

/** A cmdline is at most a few pages in practice; ARG_MAX-sized ones are cut (display only). */
const CMDLINE_MAX_BYTES = 64 * 1024;
const SMALL_MAX_BYTES = 4096;
const PAGE_BYTES = 4096;
/** Most fds looked at per process: a server with 100,000 sockets must not stall the scan. */
export const MAX_FDS = 1024;

export type Read<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProcErrorKind };

/** Most kept fds (schedstat, a descendant's stat, children files read every scan). */
const KEPT_CAPACITY = 1024;
/** children of init can run to thousands of pids; a kept read is one pread of this much. */
const KEPT_READ_BYTES = 64 * 1024;

export class DiagReader {
  private buffer = Buffer.allocUnsafe(16 * 1024);
  private readonly keptBuffer = Buffer.allocUnsafe(KEPT_READ_BYTES);
  /** Kept-open fds of files re-read every scan (see keptFiles.ts); cleared by dispose. */
  readonly kept: KeptFiles;

  constructor(
    readonly fs: ProcFs,
    /** The proc root with a trailing slash. */
    readonly rootSlash: string,
    keptCapacity = KEPT_CAPACITY,
  ) {
    this.kept = new KeptFiles(fs, keptCapacity);
  }

  /** Whole file as text, at most maxBytes (then `truncated`). Throws what fs throws. */
  readCapped(path: string, maxBytes: number): { text: string; truncated: boolean } {
    const fd = this.fs.openSync(path);
    try {
      let total = 0;
      for (;;) {
        if (total === this.buffer.length && this.buffer.length < maxBytes) {
          const bigger = Buffer.allocUnsafe(Math.min(maxBytes, this.buffer.length * 2));
          this.buffer.copy(bigger, 0, 0, total);
          this.buffer = bigger;
        }
        const room = Math.min(this.buffer.length, maxBytes) - total;
        if (room <= 0) return { text: this.buffer.toString('utf8', 0, total), truncated: true };
        const n = this.fs.readSync(fd, this.buffer, total, room, null);
        total += n;
        // /proc serves at most a page per read(): only a read shorter than that proves the end,
        // which saves the read() returning 0 for the usual one-line file (as readBuffer.ts does).
        if (n === 0 || (n < room && n < PAGE_BYTES))
          return { text: this.buffer.toString('utf8', 0, total), truncated: false };
      }
    } finally {
      this.fs.closeSync(fd);
    }
  }

  /**
   * A small /proc file of `pid` (stat, wchan, schedstat, children), or the error kind. `keep`:
   * through a kept fd, for files read again every scan.
   */
  small(pid: number, name: string, keep = false): Read<string> {
    const path = `${this.rootSlash}${pid}/${name}`;
    if (keep) return this.attempt(() => this.kept.read(path, path, this.keptBuffer));
    return this.attempt(() => this.readCapped(path, SMALL_MAX_BYTES).text);
  }

  stat(pid: number, keep = false): Read<StatFields> {
    const text = this.small(pid, 'stat', keep);
    if (!text.ok) return text;
    const stat = parseStat(text.value);
    return stat.ok && stat.value.pid === pid ? stat : { ok: false, error: 'malformed' };
  }

  argv(pid: number): Read<string[]> {
    return this.attempt(() => {
      const { text } = this.readCapped(`${this.rootSlash}${pid}/cmdline`, CMDLINE_MAX_BYTES);
      return parseCmdline(text);
    });
  }

  link(path: string): Read<string> {
    return this.attempt(() => this.fs.readlinkSync(path));
  }

  cwd(pid: number): Read<string> {
    return this.link(`${this.rootSlash}${pid}/cwd`);
  }

  /**
   * Direct children of `pid`, from task/<tid>/children of each of its threads (a child belongs
   * to the thread that forked it). One thread (stat field 20): task/<pid>/children alone, no
   * listing. Needs CONFIG_PROC_CHILDREN; without it, no children are found (null).
   */
  children(pid: number, threads: number): number[] | null {
    const tids = threads <= 1 ? [String(pid)] : this.list(`${this.rootSlash}${pid}/task`);
    if (tids === null) return null;
    // A Set, not out.includes: init can list thousands of children, read every scan.
    const out = new Set<number>();
    let any = false;
    for (const tid of tids) {
      const text = this.small(pid, `task/${tid}/children`, true);
      if (!text.ok) continue;
      any = true;
      for (const child of parseChildren(text.value)) out.add(child);
    }
    return any ? [...out] : null;
  }

  /** Names in a directory, null when it cannot be listed. */
  list(path: string): string[] | null {
    try {
      return this.fs.readdirSync(path);
    } catch {
      return null;
    }
  }

  /** Names of a directory, or why it could not be listed. */
  listing(path: string): Read<string[]> {
    return this.attempt(() => this.fs.readdirSync(path));
  }

  private attempt<T>(read: () => T): Read<T> {
    try {
      return { ok: true, value: read() };
    } catch (error) {
      return { ok: false, error: classifyError(error) };
    }
  }
}
