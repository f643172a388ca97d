// /proc/<pid>/task/<tid>/children: the pids of a thread's children, space-separated ("12 15 ").
// Pure and total: a word that is not a positive integer is skipped.

/** The child pids listed in a children file, in file order. One pass, no regex. */
export function parseChildren(text: string): number[] {
  const out: number[] = [];
  for (const word of text.split(' ')) {
    const pid = Number(word); // '' and '\n' are 0: skipped
    if (Number.isInteger(pid) && pid > 0) out.push(pid);
  }
  return out;
}
