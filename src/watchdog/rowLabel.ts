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

/** pytest options whose value is the next word (`-p no:cacheprovider`, `--tb short`). */
const VALUE_OPTIONS = new Set([
  '-n',
  '-p',
  '-k',
  '-m',
  '-c',
  '-o',
  '-W',
  '-r',
  '--numprocesses',
  '--dist',
  '--maxfail',
  '--basetemp',
  '--rootdir',
  '--confcutdir',
  '--tb',
  '--durations',
  '--cov',
  '--cov-report',
  '--junitxml',
  '--ignore',
  '--deselect',
  '--override-ini',
  '--log-level',
  '--capture',
  '--import-mode',
  '--timeout',
]);
/** Options a short label keeps: which tests (`-k`, `-m`) and how many workers (`-n`). */
const KEPT_OPTIONS = new Set(['-n', '-k', '-m', '--numprocesses']);

/**
 * The words of a label that does not fit: the program, what is tested (test paths and node ids,
 * `-k`/`-m` selections) and the worker count; other options and their values (`-q`,
 * `-p no:cacheprovider`, `--tb short`) say how, not what, and go. One pass over the words.
 */
function essentialWords(words: readonly string[]): string[] {
  const out = words.slice(0, 1);
  for (let i = 1; i < words.length; i++) {
    const word = words[i]!;
    if (!word.startsWith('-')) out.push(word);
    else if (VALUE_OPTIONS.has(word)) {
      const value = words[i + 1];
      if (KEPT_OPTIONS.has(word) && value !== undefined) out.push(word, value);
      i++;
    }
  }
  return out;
}

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
    const kept = essentialWords(words);
    if (kept.length > 1) words = kept;
  }
  const whole = words.join(' ');
  const text =
    whole.length > maxChars && words.length > 1 && program === sample.pattern
      ? words.slice(1).join(' ')
      : whole;
  return sanitize(text, { maxChars, elide: 'middle', headChars: Math.round(maxChars * 0.4) });
}
