// The branch (or linked worktree) a process works in, read from the files, never by running
// git: walk up from its cwd to the first `.git`; a directory holds HEAD, a file says
// `gitdir: <path>` (a linked worktree or a submodule) and that folder holds HEAD.
import { dirname, isAbsolute, resolve } from 'node:path';
import type { SmallFileReader } from './smallFile';

export interface GitPlace {
  /** `feature/merge-gate`, or `detached@1a2b3c4` for a detached HEAD; null when unreadable. */
  readonly branch: string | null;
  /** The folder of a linked worktree (its `.git` file points into `.git/worktrees/`), else null. */
  readonly worktree: string | null;
  /** Where HEAD was read (without the root prefix), so a later scan reads only that file. */
  readonly head: string;
}

/** How far up from cwd to look: deeper trees than this are not repositories worth the reads. */
const MAX_LEVELS = 40;

/** `ref: refs/heads/x` -> x; a bare 40/64-hex sha -> detached@sha7; anything else null. */
export function parseGitHead(text: string): string | null {
  const line = text.split('\n', 1)[0]!.trim();
  if (line.startsWith('ref:')) {
    const ref = line.slice(4).trim();
    if (ref.startsWith('refs/heads/') && ref.length > 'refs/heads/'.length) return ref.slice(11);
    return ref === '' ? null : ref;
  }
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(line) ? `detached@${line.slice(0, 7)}` : null;
}

/** `gitdir: ../.git/worktrees/x` -> that path (relative to the folder holding the file). */
export function parseGitdirFile(text: string): string | null {
  const line = text.split('\n', 1)[0]!.trim();
  if (!line.startsWith('gitdir:')) return null;
  const path = line.slice('gitdir:'.length).trim();
  return path === '' ? null : path;
}

/**
 * `rootPrefix` is prepended to every path read: `<proc>/<pid>/root` resolves the process's own
 * mount namespace (a container's /app is not ours). Null when no repository is found.
 */
export function readGitPlace(cwd: string, rootPrefix: string, read: SmallFileReader): GitPlace | null {
  if (!isAbsolute(cwd)) return null;
  let dir = cwd;
  for (let level = 0; level < MAX_LEVELS; level++) {
    const headPath = join(dir, '.git/HEAD');
    const head = read(`${rootPrefix}${headPath}`);
    if (head !== null) return { branch: parseGitHead(head), worktree: null, head: headPath };
    const file = read(`${rootPrefix}${join(dir, '.git')}`);
    const gitdir = file === null ? null : parseGitdirFile(file);
    if (gitdir !== null) {
      const target = resolve(dir, gitdir);
      const linkedPath = join(target, 'HEAD');
      const linked = read(`${rootPrefix}${linkedPath}`);
      // `<repo>/.git/worktrees/<name>` for `git worktree add`; a submodule's points into modules/.
      const worktree = target.includes('/.git/worktrees/') ? dir : null;
      return { branch: linked === null ? null : parseGitHead(linked), worktree, head: linkedPath };
    }
    const parent = dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
  return null;
}

function join(dir: string, name: string): string {
  return dir.endsWith('/') ? dir + name : `${dir}/${name}`;
}

/** After this long a cwd found outside any repository is looked at again (`git init`). */
const RECHECK_SECONDS = 60;
const MAX_PLACES = 256;

/**
 * Where each cwd's HEAD is, remembered across scans: a scan then reads one small file per
 * repository instead of walking up from every cwd (two failed opens per level).
 */
export class GitPlaces {
  private readonly places = new Map<string, { place: GitPlace | null; at: number }>();

  constructor(private readonly read: SmallFileReader) {}

  lookup(cwd: string, rootPrefix: string, nowSeconds: number): GitPlace | null {
    const known = this.places.get(cwd);
    if (known !== undefined && known.place !== null) {
      const text = this.read(`${rootPrefix}${known.place.head}`);
      if (text !== null) return { ...known.place, branch: parseGitHead(text) };
    } else if (known !== undefined && nowSeconds - known.at < RECHECK_SECONDS) {
      return null;
    }
    const place = readGitPlace(cwd, rootPrefix, this.read);
    this.places.delete(cwd);
    if (this.places.size >= MAX_PLACES) this.places.delete(this.places.keys().next().value!);
    this.places.set(cwd, { place, at: nowSeconds });
    return place;
  }
}
