// A dotenv-style parser for `.env.watchdog` / `.env`, the files the orchestrator's sidecar reads.
// Pure: text in, values and problems out; never throws. Covers what such files hold in practice:
// comments, blank lines, `export ` prefixes, single/double quotes (double quotes may span lines
// and take \n \t \" \\ escapes), CRLF, `=` inside values, ` # comments` after unquoted values.

export interface EnvValue {
  readonly value: string;
  /** 1-based line of the key. */
  readonly line: number;
}

export interface EnvProblem {
  readonly line: number;
  /** The offending line, trimmed. */
  readonly text: string;
  readonly message: string;
}

export interface EnvFile {
  /** Later assignments of a key win, as in a shell. */
  readonly values: Map<string, EnvValue>;
  readonly problems: EnvProblem[];
}

/**
 * Largest env file read (the editor and the CLI): a sidecar's settings take a few lines, and a
 * bigger file (or a FIFO, or /dev/zero) gets one warning and the defaults instead.
 */
export const MAX_ENV_FILE_BYTES = 64 * 1024;

const ASSIGNMENT = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_.]*)\s*=(.*)$/;

export function parseEnvFile(text: string): EnvFile {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const values = new Map<string, EnvValue>();
  const problems: EnvProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const trimmed = (lines[i] ?? '').trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = ASSIGNMENT.exec(trimmed);
    if (m === null) {
      problems.push({ line: lineNo, text: trimmed, message: 'not a KEY=value line' });
      continue;
    }
    const key = m[1] ?? '';
    const raw = (m[2] ?? '').trimStart();
    const quote = raw[0];
    if (quote === '"' || quote === "'") {
      // The value may continue on the following lines until the closing quote. Each line is
      // scanned once (the escape state carries over): rescanning the growing value for every
      // line was quadratic (288 KB with an unterminated quote took 8.3 s, issue 8).
      const parts: string[] = [];
      let scan = scanQuoted(raw, 1, quote);
      parts.push(raw.slice(1, scan.end === -1 ? raw.length : scan.end));
      let last = i;
      while (scan.end === -1 && last + 1 < lines.length) {
        last++;
        const line = lines[last] ?? '';
        // A backslash that ends a line escapes the line break, so the next line starts clean.
        scan = scanQuoted(line, 0, quote);
        parts.push('\n', line.slice(0, scan.end === -1 ? line.length : scan.end));
      }
      if (scan.end === -1) {
        problems.push({ line: lineNo, text: trimmed, message: `unterminated ${quote} quote` });
        break; // everything after is inside the quote: nothing more to read reliably
      }
      const closingLine = last === i ? raw : (lines[last] ?? '');
      const after = closingLine.slice(scan.end + 1).trim();
      i = last;
      if (after !== '' && !after.startsWith('#')) {
        problems.push({ line: lineNo, text: trimmed, message: 'unexpected text after the closing quote' });
        continue;
      }
      const inner = parts.join('');
      values.set(key, { value: quote === '"' ? unescapeDouble(inner) : inner, line: lineNo });
      continue;
    }
    // Unquoted: a `#` starts a comment only after whitespace (`a#b` is a value).
    const hash = raw.search(/\s#/);
    const value = (hash === -1 ? raw : raw.slice(0, hash)).trim();
    values.set(key, { value, line: lineNo });
  }
  return { values, problems };
}

/**
 * Index of the closing quote in `text` from `from` on, or -1. In double quotes a backslash
 * escapes the next character (past the end: the line break).
 */
function scanQuoted(text: string, from: number, quote: string): { end: number } {
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) return { end: i };
  }
  return { end: -1 };
}

function unescapeDouble(text: string): string {
  return text.replace(/\\(.)/gs, (_all, c: string) => {
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    if (c === 'r') return '\r';
    return c;
  });
}
