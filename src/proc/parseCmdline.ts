// Pure parser for /proc/<pid>/cmdline. Never throws.

const decoder = new TextDecoder('utf-8', { fatal: false });

/**
 * Splits a raw cmdline into argv.
 *
 * - Arguments are NUL-terminated; an empty file is a kernel thread or a zombie → [].
 * - Trailing NULs are all dropped: setproctitle pads the old argv area with NULs, so a final
 *   run of empty strings is padding, not arguments (cost: a real trailing `''` argument is lost).
 * - setproctitle may also overwrite argv with one space-separated string (psutil #1179), which
 *   reads back as a single "argument" containing spaces. Decision: like psutil, when the whole
 *   cmdline is ONE element containing a space, split it on runs of spaces. A genuine single
 *   argument with a space (a program path with a space and no arguments) is mis-split, which
 *   is far rarer than retitled processes and only affects display/matching of that one process.
 * - Invalid UTF-8 decodes with U+FFFD replacement rather than failing.
 */
export function parseCmdline(raw: Uint8Array | string): string[] {
  const text = typeof raw === 'string' ? raw : decoder.decode(raw);
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  if (end === 0) return [];
  const args = text.slice(0, end).split('\0');
  if (args.length === 1 && args[0]!.includes(' ')) {
    const words = args[0]!.split(/ +/).filter((w) => w !== '');
    return words;
  }
  return args;
}
