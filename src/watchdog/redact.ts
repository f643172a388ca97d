// Secrets out of command lines before they leave the machine in a copied report (issue 11):
// `--password x`, `--token=…`, `user:pass@` in URLs, `AWS_SECRET_ACCESS_KEY=…`, `*_TOKEN=`,
// `Authorization: Bearer …`. Pure and linear: every word is looked at a constant number of
// times, no regex runs over outside text (only over a bounded option name). Over-redacting is
// the safe mistake: `--sort-key=x` loses its value too. Redaction is not sanitizing: the result
// still goes through sanitize() before it is shown.

const REDACTED = '***';

/** Last name components that mark a secret: `--db-password`, `GITHUB_TOKEN`, `api_key`. */
const SECRET_SUFFIXES = new Set([
  'password',
  'passwd',
  'passphrase',
  'pwd',
  'token',
  'secret',
  'key',
  'apikey',
  'credential',
  'credentials',
]);
/** Whole names that are secrets but too short to be trusted as a suffix (`--pass`, `auth=`). */
const SECRET_NAMES = new Set(['pass', 'auth', 'pw']);
/** Words after which the next word is a credential (HTTP Authorization schemes). */
const AUTH_SCHEMES = new Set(['bearer', 'basic', 'token', 'digest']);
const MAX_NAME = 64;

/** An option or variable name that holds a secret. `name` without dashes or quotes. */
export function isSecretName(raw: string): boolean {
  if (raw.length === 0 || raw.length > MAX_NAME) return false;
  const name = raw.toLowerCase().replace(/_/g, '-');
  if (!/^[a-z0-9][a-z0-9.-]*$/.test(name)) return false;
  if (SECRET_NAMES.has(name)) return true;
  const last = name.slice(name.lastIndexOf('-') + 1);
  return SECRET_SUFFIXES.has(last) || SECRET_SUFFIXES.has(name);
}

/** The two words before the current one, carried across argv elements. */
interface Context {
  previous: string;
  beforePrevious: string;
}

/** argv with secret values replaced; `--password x` redacts the next argument as a whole. */
export function redactArgv(argv: readonly string[]): string[] {
  const context: Context = { previous: '', beforePrevious: '' };
  return argv.map((arg, i) => {
    if (i > 0 && takesSecretValue(argv[i - 1]!, arg)) {
      context.beforePrevious = context.previous;
      context.previous = REDACTED;
      return REDACTED;
    }
    return redactWords(arg, context);
  });
}

/** A command line (or any text): the same rules over its blank-separated words. */
export function redactText(text: string): string {
  return redactWords(text, { previous: '', beforePrevious: '' });
}

function redactWords(text: string, context: Context): string {
  const parts: string[] = [];
  let i = 0;
  while (i < text.length) {
    let j = i;
    while (j < text.length && isBlank(text.charCodeAt(j))) j++;
    if (j > i) parts.push(text.slice(i, j));
    if (j >= text.length) break;
    let k = j;
    while (k < text.length && !isBlank(text.charCodeAt(k))) k++;
    const word = text.slice(j, k);
    parts.push(redactWord(word, context.previous, context.beforePrevious));
    context.beforePrevious = context.previous;
    context.previous = word;
    i = k;
  }
  return parts.join('');
}

function redactWord(word: string, previous: string, beforePrevious: string): string {
  if (previous !== '' && takesSecretValue(previous, word)) return keepQuotes(word, REDACTED);
  // `Authorization: Bearer <token>`; `Bearer` alone after a header name too.
  const scheme = unquote(previous).toLowerCase();
  if (AUTH_SCHEMES.has(scheme) && (scheme === 'bearer' || isAuthHeader(beforePrevious))) {
    return keepQuotes(word, REDACTED);
  }
  let out = word;
  const eq = word.indexOf('=');
  if (eq > 0) {
    const name = unquote(word.slice(0, eq)).replace(/^-+/, '');
    if (isSecretName(name)) out = word.slice(0, eq + 1) + keepQuotes(word.slice(eq + 1), REDACTED);
  }
  return out.includes('://') ? redactUrls(out) : out;
}

/** `--password` (no `=`) followed by a value that is not another option. */
function takesSecretValue(option: string, value: string): boolean {
  const name = unquote(option);
  if (!name.startsWith('-') || name.includes('=')) return false;
  if (unquote(value).startsWith('-')) return false;
  return isSecretName(name.replace(/^-+/, ''));
}

function isAuthHeader(word: string): boolean {
  const w = unquote(word).toLowerCase();
  return w === 'authorization:' || w === 'proxy-authorization:' || w.endsWith('authorization:');
}

/** `scheme://user:secret@host` -> `scheme://user:***@host`, for every URL in the word. */
function redactUrls(word: string): string {
  let out = '';
  let from = 0;
  for (;;) {
    const at = word.indexOf('://', from);
    if (at < 0) return out + word.slice(from);
    const start = at + 3;
    let end = start;
    while (end < word.length && !'/?#'.includes(word[end]!)) end++;
    const authority = word.slice(start, end);
    const userEnd = authority.lastIndexOf('@');
    const colon = userEnd < 0 ? -1 : authority.indexOf(':');
    out += word.slice(from, start);
    out +=
      colon >= 0 && colon < userEnd
        ? `${authority.slice(0, colon + 1)}${REDACTED}${authority.slice(userEnd)}`
        : authority;
    from = end;
  }
}

function unquote(word: string): string {
  let s = 0;
  let e = word.length;
  while (s < e && isQuote(word.charCodeAt(s))) s++;
  while (e > s && isQuote(word.charCodeAt(e - 1))) e--;
  return word.slice(s, e);
}

/** Replace the value but keep the quotes around it, so a quoted shell line stays balanced. */
function keepQuotes(value: string, replacement: string): string {
  let s = 0;
  let e = value.length;
  while (s < e && isQuote(value.charCodeAt(s))) s++;
  while (e > s && isQuote(value.charCodeAt(e - 1))) e--;
  return value.slice(0, s) + replacement + value.slice(e);
}

function isQuote(c: number): boolean {
  return c === 34 || c === 39 || c === 96; // " ' `
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}
