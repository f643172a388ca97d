// Classify a failed /proc read once, so the reader counts outcomes instead of logging each.

export type ProcErrorKind = 'vanished' | 'denied' | 'malformed';

/**
 * ENOENT/ESRCH: the process went away between readdir and read (ESRCH is what a kept fd gives
 * once its task is reaped). EACCES/EPERM: hidepid or another user's process. Anything else
 * (EIO, EINVAL, a non-error throw) means the file could not be used: malformed.
 */
export function classifyError(error: unknown): ProcErrorKind {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'ENOENT':
    case 'ESRCH':
      return 'vanished';
    case 'EACCES':
    case 'EPERM':
      return 'denied';
    default:
      return 'malformed';
  }
}
