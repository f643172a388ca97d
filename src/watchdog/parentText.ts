// Who a process's parent is, in words: the one renderer behind the tooltip, the kill modal, the
// live notification, Copy Report and the CLI. Each sink passes its own `t` (the editor's l10n,
// the CLI's English) and `code`, the escaping of outside text for where it is shown (forMessage,
// markdownCode, sanitize): the parent's comm is another process's choice of name.
import type { ProcessSample } from '../proc/types';
import type { Translate } from './notificationText';

export type ParentOf = Pick<ProcessSample, 'parent' | 'ppid'>;

/**
 * "tini (PID 1)" (or "tini" with `withPid` false, where the sentence already has a PID in it);
 * "a process outside this PID namespace" (ppid 0); "PID 4242" (a parent that could not be read).
 */
export function parentText(
  of: ParentOf,
  t: Translate,
  code: (text: string) => string,
  withPid = true,
): string {
  if (of.parent !== null)
    return withPid ? t('{0} (PID {1})', code(of.parent.comm), of.parent.pid) : code(of.parent.comm);
  // ppid 0: the parent lives outside this pid namespace (a container's init seen from inside,
  // or the runtime that `docker exec` started it from).
  if (of.ppid === 0) return t('a process outside this PID namespace');
  return t('PID {0}', of.ppid);
}
