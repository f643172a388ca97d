// How many fds the reader may keep, from the soft RLIMIT_NOFILE (Node has no getrlimit binding,
// so /proc/self/limits is read once). Half the limit leaves room for the rest of the process
// (a VS Code extension host shares it with every other extension).
import { MAX_SMALL_FILE_BYTES, readTextBoundedSync } from './boundedRead';

const DEFAULT_CAP = 4096;

export function parseSoftNofile(limitsText: string): number | null {
  const line = limitsText.split('\n').find((l) => l.startsWith('Max open files'));
  const soft = line?.slice('Max open files'.length).trim().split(/\s+/)[0];
  if (soft === 'unlimited') return Number.MAX_SAFE_INTEGER;
  return soft !== undefined && /^\d+$/.test(soft) ? Number(soft) : null;
}

export function defaultFdCapacity(limitsPath = '/proc/self/limits'): number {
  let soft: number | null = null;
  try {
    soft = parseSoftNofile(readTextBoundedSync(limitsPath, MAX_SMALL_FILE_BYTES));
  } catch {
    soft = null;
  }
  // Unknown limit: assume the common 1024 default, keep half.
  return Math.min(DEFAULT_CAP, Math.floor((soft ?? 1024) / 2));
}
