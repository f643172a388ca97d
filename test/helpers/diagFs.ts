// node:fs behind the ProcFs seam, recording every path touched and failing chosen ones with an
// errno code (EACCES is what another user's fds give; root cannot get it from chmod).
import type { ProcFs } from '../../src/proc/procFs';
import { nodeProcFs } from '../../src/proc/procFs';

export interface DiagFs extends ProcFs {
  /** Every path opened, listed, linked or read, in order. */
  readonly touched: string[];
  /** Paths touched that contain `part`. */
  count(part: string): number;
}

/** `failures`: path suffix (or `/fd/` style infix) -> errno code. */
export function diagFs(failures: Record<string, string> = {}): DiagFs {
  const touched: string[] = [];
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
    openSync: (path) => (visit(path), nodeProcFs.openSync(path)),
    readSync: (fd, buffer, offset, length, position) =>
      nodeProcFs.readSync(fd, buffer, offset, length, position),
    closeSync: (fd) => nodeProcFs.closeSync(fd),
    readdirSync: (path) => (visit(path), nodeProcFs.readdirSync(path)),
    readdir: async (path) => (visit(path), nodeProcFs.readdir(path)),
    readlinkSync: (path) => (visit(path), nodeProcFs.readlinkSync(path)),
    readFileSync: (path) => (visit(path), nodeProcFs.readFileSync(path)),
    readTextSync: (path) => (visit(path), nodeProcFs.readTextSync(path)),
  };
}
