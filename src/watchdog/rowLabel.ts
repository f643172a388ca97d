// A process row's label: what it runs, short enough for a sidebar of the default width. Shared by
// the view model, the live notification and the kill modal (with their own caps).
import type { ProcessSample } from '../proc/types';
import { commandWords, quoteWord } from './format';
import { sanitize } from './sanitize';

/**
 * Row labels are capped so the age and the decisive fact in the description stay visible in a
 * sidebar of the default width, 300 px (test/host/ui/uiChecks.mjs measures it), elided once in
 * the middle so both the program and the end of the last test path show. 19, not 22: once a run
 * shows its workers as child rows, VS Code indents every top-level row by a twistie's width.
 */
export const LABEL_MAX_CHARS = 19;

/**
 * pytest options that take no value, dropped from a label that does not fit (`-x`, `-q`, `-vv`,
 * `--lf`): what is tested says more than how. Options with a value (`-n 2`, `-k expr`) stay.
 */
const BARE_FLAGS = new Set([
  '--lf',
  '--ff',
  '--sw',
  '--nf',
  '--exitfirst',
  '--quiet',
  '--verbose',
  '--last-failed',
  '--failed-first',
  '--stepwise',
]);
const isBareFlag = (word: string): boolean =>
  BARE_FLAGS.has(word) ||
  (word.length >= 2 && word.length <= 4 && word[0] === '-' && /^-[qvxsl]+$/.test(word));

/** `tests/unit/test_x.py::test_a` -> `test_x.py::test_a`; a folder (`tests/`) stays whole. */
export function compactPath(word: string): string {
  const at = word.indexOf('::');
  const path = at < 0 ? word : word.slice(0, at);
  if (!path.includes('/') || path.endsWith('/')) return word;
  return word.slice(path.lastIndexOf('/') + 1);
}

/**
 * The label of a process: what it runs, test paths by their file name, capped and elided once in
 * the middle. When it is too long and the program is the pattern that matched (every row of a
 * pytest watch says "pytest"), the program goes first, so the test file fits.
 */
export function rowLabel(
  sample: Pick<ProcessSample, 'argv' | 'comm'> & { readonly pattern?: string },
  maxChars = LABEL_MAX_CHARS,
): string {
  const [program, ...args] = commandWords(sample.argv);
  if (program === undefined) return sanitize(sample.comm, maxChars);
  // Only a word's head and tail can show in a label elided in the middle: a 128 KiB argument is
  // cut to them before it is quoted and joined, so the work stays bounded (issue 8).
  const keep = maxChars + 1;
  const bounded = (word: string): string =>
    word.length > 2 * keep ? word.slice(0, keep) + word.slice(word.length - keep) : word;
  let words = [program, ...args.map(compactPath)].map(bounded).map(quoteWord);
  if (words.join(' ').length > maxChars) {
    const kept = words.filter((w, i) => i === 0 || !isBareFlag(w));
    if (kept.length > 1) words = kept;
  }
  const whole = words.join(' ');
  const text =
    whole.length > maxChars && words.length > 1 && program === sample.pattern
      ? words.slice(1).join(' ')
      : whole;
  return sanitize(text, { maxChars, elide: 'middle', headChars: Math.round(maxChars * 0.4) });
}
