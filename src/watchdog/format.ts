// Human-readable bits shared by notifications, the tree, and the CLI table.
import { resolveCommand, splitFlattenedArgv } from './argv';
import { sanitize } from './sanitize';

/** "45s", "12m", "2h 14m", "2h", "3d 4h": two units at most, floored, as a glance needs. */
export type AgeUnit = 's' | 'm' | 'h' | 'd';

/** `45s`: the terminal's and the default rendering of one number with its unit. */
const plainUnit = (value: number, unit: AgeUnit): string => `${value}${unit}`;

/**
 * `45s`, `12m`, `2h 14m`, `3d 4h`: the largest unit and the next one when it is not zero.
 * `unit` renders one number with its unit, so the editor can pass localized ones.
 */
export function formatAge(
  seconds: number,
  unit: (value: number, unit: AgeUnit) => string = plainUnit,
): string {
  const s = Number.isFinite(seconds) && seconds > 0 ? Math.floor(seconds) : 0;
  if (s < 60) return unit(s, 's');
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return unit(minutes, 'm');
  const hours = Math.floor(minutes / 60);
  if (hours < 24)
    return minutes % 60 === 0 ? unit(hours, 'h') : `${unit(hours, 'h')} ${unit(minutes % 60, 'm')}`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? unit(days, 'd') : `${unit(days, 'd')} ${unit(hours % 24, 'h')}`;
}

const DEFAULT_MAX_COMMAND = 80;
/** Cap of a full command line where it is shown whole (tooltip, modal, report). */
const MAX_COMMAND_LINE_CHARS = 1000;

/**
 * What is being run, as the user would have typed it: the innermost program of the launcher
 * chain and its arguments (`pytest -x tests/unit` for `/venv/bin/python3 -m pytest -x
 * tests/unit`). Words with spaces are quoted; long lines are cut with "…". Sanitized (argv is
 * outside text): safe to show anywhere, bounded work however long the argv.
 */
export function shortCommand(argv: readonly string[], maxLength = DEFAULT_MAX_COMMAND): string {
  const target = commandWords(argv);
  return target.length === 0 ? '(no command line)' : joinWords(target, maxLength);
}

/** The innermost program of the launcher chain and its arguments, as words. */
export function commandWords(argv: readonly string[]): readonly string[] {
  return resolveCommand(splitFlattenedArgv(argv) ?? argv).target;
}

/** The whole command line, each word quoted when needed; sanitized and capped. */
export function displayCommand(argv: readonly string[], maxLength = MAX_COMMAND_LINE_CHARS): string {
  return joinWords(argv, maxLength);
}

/**
 * Words quoted and joined, then sanitized to `maxLength`. Only what can still show is quoted:
 * every character yields at least one of output, so maxLength + 1 raw characters are enough
 * to fill the cap and to tell that it was cut.
 */
function joinWords(words: readonly string[], maxLength: number): string {
  const budget = Math.max(1, Math.floor(maxLength)) + 1;
  let text = '';
  for (const word of words) {
    if (text.length >= budget) break;
    const quoted = quoteWord(word.length > budget ? word.slice(0, budget) : word);
    text = text === '' ? quoted : `${text} ${quoted}`;
  }
  return sanitize(text.length > budget ? text.slice(0, budget) : text, maxLength);
}

/** One way to quote a word, for every front end: JSON quotes around spaces, quotes, `$` and backticks. */
export function quoteWord(word: string): string {
  if (word === '') return "''";
  return /[\s'"\\$`]/.test(word) ? JSON.stringify(word) : word;
}

const BYTE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** "512 B", "1.5 KiB", "230 MiB"; "?" when unknown. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null || !Number.isFinite(bytes) || bytes < 0) return '?';
  if (bytes < 1024) return `${Math.round(bytes)} B`;
  let value = bytes;
  let unit = 'B';
  for (const next of BYTE_UNITS) {
    if (value < 1024) break;
    value /= 1024;
    unit = next;
  }
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${unit}`;
}
