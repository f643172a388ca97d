// Pure: is a path inside a pytest basetemp? pytest's tmp_path factory lays temporary folders out
// as `<tmp>/pytest-of-<user>/pytest-<N>/<test name><i>/` (`pytest-current` links the newest);
// `--basetemp DIR` replaces the `pytest-of-<user>/pytest-<N>` part with DIR. Linear, no regex
// over the whole text.

export interface BasetempMatch {
  /** `<tmp>/pytest-of-<user>/pytest-<N>`, or the `--basetemp` directory. */
  readonly basetemp: string;
  /** The folder right under it (`test_spawns_a_server0`), when the path goes that deep. */
  readonly testDir: string | null;
}

const OF_PREFIX = 'pytest-of-';

/** Finds `…/pytest-of-<user>/pytest-<N|current>[/<testDir>…]` in an absolute path. */
export function findBasetemp(path: string): BasetempMatch | null {
  if (!path.startsWith('/')) return null;
  let from = 0;
  for (;;) {
    const at = path.indexOf(`/${OF_PREFIX}`, from);
    if (at < 0) return null;
    const userEnd = path.indexOf('/', at + 1);
    if (userEnd < 0) return null;
    const runEnd = nextSlash(path, userEnd + 1);
    const run = path.slice(userEnd + 1, runEnd);
    if (userEnd > at + 1 + OF_PREFIX.length && isRunDir(run)) {
      return { basetemp: path.slice(0, runEnd), testDir: segmentAfter(path, runEnd) };
    }
    from = at + 1;
  }
}

/** `path` inside one of the `--basetemp` directories seen in matched runs' argv. */
export function underBasetemp(path: string, basetemps: readonly string[]): BasetempMatch | null {
  for (const dir of basetemps) {
    const base = dir.endsWith('/') ? dir.slice(0, -1) : dir;
    if (base.length < 2) continue; // `--basetemp /` would claim everything
    if (path === base) return { basetemp: base, testDir: null };
    if (path.startsWith(base) && path.charCodeAt(base.length) === 47) {
      return { basetemp: base, testDir: segmentAfter(path, base.length) };
    }
  }
  return null;
}

/** Either kind: the pytest layout, or a remembered `--basetemp` directory. */
export function basetempOf(path: string, basetemps: readonly string[]): BasetempMatch | null {
  return findBasetemp(path) ?? underBasetemp(path, basetemps);
}

/** A basetemp named by an argument: `/tmp/pytest-of-u/pytest-3/x/data.json`, `--out=/tmp/…`. */
export function basetempInArgv(argv: readonly string[], basetemps: readonly string[]): BasetempMatch | null {
  for (const arg of argv) {
    const slash = arg.indexOf('/');
    if (slash < 0) continue;
    const found = basetempOf(arg.slice(slash), basetemps);
    if (found !== null) return found;
  }
  return null;
}

/** `--basetemp DIR` / `--basetemp=DIR` in a pytest command line (absolute DIR only). */
export function basetempOption(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    let value: string | undefined;
    if (arg === '--basetemp') value = argv[i + 1];
    else if (arg.startsWith('--basetemp=')) value = arg.slice('--basetemp='.length);
    if (value !== undefined && value.startsWith('/') && value.length > 1) return trimSlash(value);
  }
  return null;
}

function isRunDir(name: string): boolean {
  if (name === 'pytest-current') return true;
  if (!name.startsWith('pytest-') || name.length === 'pytest-'.length) return false;
  for (let i = 'pytest-'.length; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

function nextSlash(path: string, from: number): number {
  const i = path.indexOf('/', from);
  return i < 0 ? path.length : i;
}

function segmentAfter(path: string, slashAt: number): string | null {
  if (slashAt >= path.length) return null;
  const end = nextSlash(path, slashAt + 1);
  const name = path.slice(slashAt + 1, end);
  return name === '' ? null : name;
}

function trimSlash(dir: string): string {
  return dir.length > 1 && dir.endsWith('/') ? dir.slice(0, -1) : dir;
}
