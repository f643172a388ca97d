// Human-readable bits shared by notifications, the tree, and the CLI table.
import { resolveCommand, splitFlattenedArgv } from './argv';

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

/**
 * What is being run, as the user would have typed it: the innermost program of the launcher
 * chain and its arguments (`pytest -x tests/unit` for `/venv/bin/python3 -m pytest -x
 * tests/unit`). Words with spaces are quoted; long lines are cut with "…".
 */
export function shortCommand(argv: readonly string[], maxLength = DEFAULT_MAX_COMMAND): string {
  const target = commandWords(argv);
  const text = target.length === 0 ? '(no command line)' : target.map(quoteWord).join(' ');
  if (text.length <= maxLength) return text;
  return `${text.slice(0, Math.max(1, maxLength - 1))}…`;
}

/** The innermost program of the launcher chain and its arguments, as words. */
export function commandWords(argv: readonly string[]): readonly string[] {
  return resolveCommand(splitFlattenedArgv(argv) ?? argv).target;
}

export function quoteWord(word: string): string {
  if (word === '') return "''";
  return /[\s'"\\]/.test(word) ? JSON.stringify(word) : word;
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
