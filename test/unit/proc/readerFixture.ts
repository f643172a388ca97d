// Shared helpers for the reader tests: a tiny matcher (the real one lives in src/watchdog) and
// a copy of a fixture tree in a scratch folder that tests may mutate.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ProcFs } from '../../../src/proc/procFs';
import { nodeProcFs } from '../../../src/proc/procFs';
import type { ArgvMatcher } from '../../../src/proc/types';

export const FIXTURE_ROOT = join(__dirname, '..', '..', 'fixtures', 'proc-basic');
export const CONTAINER_ID = 'a3f1c2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80';

/** `pytest …`, `/x/pytest …` and `python* -m pytest …`, nothing else. */
export const pytestMatcher: ArgvMatcher = {
  needles: ['pytest'],
  match(argv) {
    const program = basename(argv[0] ?? '');
    if (program === 'pytest') return 'pytest';
    const m = argv.indexOf('-m');
    if (program.startsWith('python') && m >= 0 && argv[m + 1] === 'pytest') return 'pytest';
    return null;
  },
};

export function copyFixture(): { root: string; remove(): void } {
  const root = mkdtempSync(join(tmpdir(), 'proc-fixture-'));
  cpSync(FIXTURE_ROOT, root, { recursive: true, verbatimSymlinks: true });
  return { root, remove: () => rmSync(root, { recursive: true, force: true }) };
}

export interface RecordingFs extends ProcFs {
  readonly opened: string[];
  openFds(): number;
}

/** node:fs wrapped to record every path opened or read, and to fail chosen paths with a code. */
export function recordingFs(failures: Record<string, string> = {}): RecordingFs {
  const opened: string[] = [];
  const live = new Set<number>();
  const maybeFail = (path: string): void => {
    for (const [suffix, code] of Object.entries(failures)) {
      if (path.endsWith(suffix)) throw Object.assign(new Error(`${code}: ${path}`), { code });
    }
  };
  return {
    opened,
    openFds: () => live.size,
    openSync(path) {
      opened.push(path);
      maybeFail(path);
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
    async readdir(path) {
      opened.push(path);
      maybeFail(path);
      return nodeProcFs.readdir(path);
    },
    readdirSync(path) {
      opened.push(path);
      maybeFail(path);
      return nodeProcFs.readdirSync(path);
    },
    readlinkSync(path) {
      opened.push(path);
      maybeFail(path);
      return nodeProcFs.readlinkSync(path);
    },
    readFileSync(path) {
      opened.push(path);
      maybeFail(path);
      return nodeProcFs.readFileSync(path);
    },
    readTextSync(path) {
      opened.push(path);
      maybeFail(path);
      return nodeProcFs.readTextSync(path);
    },
  };
}
