// Small pure option parser: `--name value`, `--name=value`, repeatable lists, flags. Returns
// an error string instead of throwing, so every bad argument becomes one line and exit 2.
import { parseNumber } from '../watchdog/config';

export type OptionKind = 'flag' | 'string' | 'number' | 'list';

export interface OptionSpec {
  readonly kind: OptionKind;
  /** One line for --help, e.g. 'DIR  proc root to scan (default /proc)'. */
  readonly help: string;
}

export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export interface ParsedOptions {
  readonly flags: ReadonlySet<string>;
  readonly strings: ReadonlyMap<string, string>;
  readonly numbers: ReadonlyMap<string, number>;
  readonly lists: ReadonlyMap<string, readonly string[]>;
  readonly help: boolean;
}

export function parseOptions(args: readonly string[], specs: OptionSpecs): ParsedOptions | string {
  const flags = new Set<string>();
  const strings = new Map<string, string>();
  const numbers = new Map<string, number>();
  const lists = new Map<string, string[]>();
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) return `unexpected argument "${arg}"`;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    const spec = specs[name];
    if (spec === undefined) return `unknown option ${name}`;
    if (spec.kind === 'flag') {
      if (eq !== -1) return `${name} takes no value`;
      flags.add(name);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      i++;
    }
    if (value === undefined) return `${name} needs a value`;
    if (spec.kind === 'number') {
      const n = parseNumber(value);
      if (n === null) return `${name}: not a number: "${value}"`;
      numbers.set(name, n);
    } else if (spec.kind === 'list') {
      if (value.trim() === '') return `${name} needs a non-empty value`;
      lists.set(name, [...(lists.get(name) ?? []), value]);
    } else {
      if (value === '') return `${name} needs a non-empty value`;
      strings.set(name, value);
    }
  }
  return { flags, strings, numbers, lists, help };
}

/** Aligned option lines for --help. */
export function optionsHelp(specs: OptionSpecs): string[] {
  const rows = Object.entries(specs).map(([name, spec]) => {
    const [head, ...rest] = spec.help.split('  ');
    const left = spec.kind === 'flag' ? name : `${name} ${head ?? ''}`;
    const right = spec.kind === 'flag' ? spec.help : rest.join('  ').trim();
    return [left, right] as const;
  });
  const width = Math.max(0, ...rows.map(([l]) => l.length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`);
}
