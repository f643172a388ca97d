// node:fs behind the ProcFs seam, recording every path touched (opened, listed, linked or read)
// and failing chosen ones with an errno code (EACCES is what hidepid or another user's fds give;
// root cannot get it from chmod). Counts the fds it has open, so tests can prove none leak.
import type { ProcFs } from '../../src/proc/procFs';
import { nodeProcFs } from '../../src/proc/procFs';

export interface RecordingFs extends ProcFs {
  /** Every path touched, in order. */
  readonly touched: string[];
  /** Paths touched that contain `part`. */
  count(part: string): number;
  /** fds opened through it and not closed yet. */
  openFds(): number;
}

/** `failures`: path suffix (or a folder inside the path, as `/fd`) -> errno code. */
export function recordingFs(failures: Record<string, string> = {}): RecordingFs {
  const touched: string[] = [];
  const live = new Set<number>();
  const visit = (path: string): void => {
    touched.push(path);
    for (const [part, code] of Object.entries(failures)) {
      if (path.endsWith(part) || path.includes(`${part}/`))
        throw Object.assign(new Error(`${code}: ${path}`), { code });
    }
  };
  return {
    touched,
    count: (part) => touched.filter((p) => p.includes(part)).length,
    openFds: () => live.size,
    openSync(path) {
      visit(path);
      const fd = nodeProcFs.openSync(path);
      live.add(fd);
      return fd;
    },
    readSync: (fd, buffer, offset, length, position) =>
      nodeProcFs.readSync(fd, buffer, offset, length, position),
    closeSync(fd) {
      live.delete(fd);
      nodeProcFs.closeSync(fd);
    },
    readdirSync: (path) => (visit(path), nodeProcFs.readdirSync(path)),
    readdir: async (path) => (visit(path), nodeProcFs.readdir(path)),
    readlinkSync: (path) => (visit(path), nodeProcFs.readlinkSync(path)),
    readFileSync: (path) => (visit(path), nodeProcFs.readFileSync(path)),
    readTextSync: (path) => (visit(path), nodeProcFs.readTextSync(path)),
  };
}
