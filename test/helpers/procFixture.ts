// The committed fake /proc tree (test/fixtures/proc-basic) for the reader tests: its path, a copy
// in a scratch folder that tests may mutate, and a tiny matcher (the real one lives in src/watchdog).
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ArgvMatcher } from '../../src/proc/types';

export const FIXTURE_ROOT = join(__dirname, '..', 'fixtures', 'proc-basic');
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
