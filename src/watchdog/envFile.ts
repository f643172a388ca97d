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
      // The value may continue on the following lines until the closing quote.
      let body = raw.slice(1);
      let end = findClosingQuote(body, quote);
      let last = i;
      while (end === -1 && last + 1 < lines.length) {
        last++;
        body += `\n${lines[last] ?? ''}`;
        end = findClosingQuote(body, quote);
      }
      if (end === -1) {
        problems.push({ line: lineNo, text: trimmed, message: `unterminated ${quote} quote` });
        break; // everything after is inside the quote: nothing more to read reliably
      }
      const after = body.slice(end + 1).trim();
      i = last;
      if (after !== '' && !after.startsWith('#')) {
        problems.push({ line: lineNo, text: trimmed, message: 'unexpected text after the closing quote' });
        continue;
      }
      const inner = body.slice(0, end);
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

function findClosingQuote(body: string, quote: string): number {
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c === quote) return i;
  }
  return -1;
}

function unescapeDouble(text: string): string {
  return text.replace(/\\(.)/gs, (_all, c: string) => {
    if (c === 'n') return '\n';
    if (c === 't') return '\t';
    if (c === 'r') return '\r';
    return c;
  });
}
