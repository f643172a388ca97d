// The one sanitizer for outside text (DESIGN "Outside text is hostile"): command lines, comms,
// cwd paths, setting and env-file values, anything read under the proc root. Every such string
// passes `sanitize` before it is shown anywhere: tree, tooltip, notification, modal, log, report,
// terminal. It is one pass over at most `maxChars` characters of output plus what it skips, so a
// 128 KiB argv costs no more than a short one once the cap is reached (test/unit/watchdog/
// sanitize.test.ts compares n and 2n).
//
// What it does, and why:
// - C0, DEL and C1 controls become `\xNN` (`\n`, `\t`, `\r` keep their short forms): an ESC in
//   argv must not retitle or clear a terminal (`ESC ]0;…`, `ESC [2J`).
// - Bidi overrides/isolates, zero-width and other invisible format characters become `\u{XXXX}`:
//   they reorder or hide what a modal says will be signalled (Trojan Source, CVE-2021-42574).
// - Lone surrogates become `\u{D8xx}`: they are not text and break JSON consumers.
// - The result is capped; what was cut is marked with one "…".
// Link syntax is a property of where text is shown, not of the text: `forMessage` neutralizes it
// for VS Code message text, `markdownCode` for Markdown.

export const DEFAULT_MAX_CHARS = 200;
const ELLIPSIS = '…';

/** Code points that are invisible or reorder text: escaped, never shown raw. */
function isInvisibleFormat(cp: number): boolean {
  return (
    cp === 0x00ad || // soft hyphen
    cp === 0x034f || // combining grapheme joiner
    cp === 0x061c || // arabic letter mark
    cp === 0x115f ||
    cp === 0x1160 || // hangul fillers
    cp === 0x17b4 ||
    cp === 0x17b5 ||
    cp === 0x180e || // mongolian vowel separator
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, LRE RLE PDF LRO RLO
    (cp >= 0x2060 && cp <= 0x206f) || // word joiner, invisible operators, LRI RLI FSI PDI, deprecated
    cp === 0x3164 ||
    cp === 0xfeff || // BOM / zero-width no-break space
    cp === 0xffa0 ||
    (cp >= 0xfff9 && cp <= 0xfffb) || // interlinear annotation
    (cp >= 0xe0000 && cp <= 0xe007f) // tag characters
  );
}

const SHORT_ESCAPES: Record<number, string> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

function hex(cp: number, width: number): string {
  return cp.toString(16).toUpperCase().padStart(width, '0');
}

/** The visible form of one code point: itself, or its escape. */
function escapeCodePoint(cp: number): string | null {
  if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) return SHORT_ESCAPES[cp] ?? `\\x${hex(cp, 2)}`;
  if (isInvisibleFormat(cp) || (cp >= 0xd800 && cp <= 0xdfff)) return `\\u{${hex(cp, 4)}}`;
  return null;
}

/**
 * Escapes `text` from `start` (in code units) until `maxChars` output characters are produced.
 * Returns the output and the index where it stopped (text.length when all of it fit).
 */
function escapeRun(text: string, start: number, maxChars: number): { out: string; end: number } {
  let out = '';
  let i = start;
  while (i < text.length) {
    let cp = text.charCodeAt(i);
    let width = 1;
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const piece = escapeCodePoint(cp) ?? text.slice(i, i + width);
    if (out.length + piece.length > maxChars) break;
    out += piece;
    i += width;
  }
  return { out, end: i };
}

/** The last characters of `text`, escaped, at most `maxChars` long, walking back from its end. */
function escapeTail(text: string, maxChars: number): string {
  const pieces: string[] = [];
  let length = 0;
  let i = text.length;
  while (i > 0) {
    let cp = text.charCodeAt(i - 1);
    let width = 1;
    if (cp >= 0xdc00 && cp <= 0xdfff && i >= 2) {
      const high = text.charCodeAt(i - 2);
      if (high >= 0xd800 && high <= 0xdbff) {
        cp = (high - 0xd800) * 0x400 + (cp - 0xdc00) + 0x10000;
        width = 2;
      }
    }
    const piece = escapeCodePoint(cp) ?? text.slice(i - width, i);
    if (length + piece.length > maxChars) break;
    pieces.push(piece);
    length += piece.length;
    i -= width;
  }
  return pieces.reverse().join('');
}

export interface SanitizeOptions {
  /** Cap on the result's length in UTF-16 units, "…" included. */
  readonly maxChars?: number;
  /** Where to cut a text that is too long: its end (default) or once, in its middle. */
  readonly elide?: 'end' | 'middle';
  /**
   * With `elide: 'middle'`: characters kept before the "…" (default: half). A row label keeps
   * the program short and the test path long.
   */
  readonly headChars?: number;
}

/** Outside text, made safe to show: escaped, capped, never longer than `maxChars`. */
export function sanitize(text: unknown, options: SanitizeOptions | number = {}): string {
  const {
    maxChars = DEFAULT_MAX_CHARS,
    elide = 'end',
    headChars,
  } = typeof options === 'number' ? { maxChars: options } : options;
  const max = Math.max(1, Math.floor(maxChars));
  const s = typeof text === 'string' ? text : String(text);
  const whole = escapeRun(s, 0, max);
  if (whole.end >= s.length) return whole.out;
  if (elide === 'middle' && max >= 5) {
    const headLength = Math.min(max - 2, Math.max(1, Math.floor(headChars ?? Math.ceil((max - 1) / 2))));
    const head = escapeRun(s, 0, headLength).out;
    const tail = escapeTail(s, max - 1 - headLength);
    return head + ELLIPSIS + tail;
  }
  const cut = escapeRun(s, 0, max - 1).out;
  return cut + ELLIPSIS;
}

/** A value from settings or an env file, as a warning shows it: JSON-quoted, then sanitized. */
export function quoteValue(value: unknown, maxChars = 80): string {
  let json: string;
  try {
    json = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    json = String(value);
  }
  return sanitize(json, maxChars);
}

/**
 * VS Code renders `[label](command:…)`, `(https://…)` and `(file:…)` in notification and dialog
 * text as links (vs/base/common/linkedText's LINK_REGEX needs `](` with nothing between).
 * Breaking every `](` keeps any text, outside or composed from outside pieces, from forming one.
 * Apply it to the final message, after `sanitize` on each outside piece.
 */
export function neutralizeLinks(message: string): string {
  return message.split('](').join('] (');
}

/** Outside text for a VS Code message (notification, modal): sanitized, no link syntax. */
export function forMessage(text: unknown, options: SanitizeOptions | number = {}): string {
  return neutralizeLinks(sanitize(text, options));
}

/** FULLWIDTH LEFT SQUARE BRACKET: reads as "[", never opens a link label. */
const INERT_BRACKET = '\uff3b';

/**
 * Outside text in a message that also carries links of our own (the live notification's Show /
 * Kill… / Snooze): besides `forMessage`, a "[" that no "]" follows (a label elided inside a
 * pytest parameter, `test_a[par…`) could open a link label that runs on into ours, so such
 * brackets become an inert look-alike. Balanced brackets stay as they are.
 */
export function forMessageWithLinks(text: unknown, options: SanitizeOptions | number = {}): string {
  const s = forMessage(text, options);
  const lastClose = s.lastIndexOf(']');
  const tail = s.slice(lastClose + 1);
  return tail.includes('[') ? s.slice(0, lastClose + 1) + tail.split('[').join(INERT_BRACKET) : s;
}

/**
 * Outside text as a Markdown code span (tooltips): no emphasis, no links, no HTML, since nothing
 * is interpreted inside a code span. The fence is one backtick longer than the longest run inside
 * (CommonMark 6.1), found in one linear pass.
 */
export function markdownCode(text: unknown, options: SanitizeOptions | number = {}): string {
  const s = sanitize(text, options);
  let longest = 0;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) === 0x60) {
      run++;
      if (run > longest) longest = run;
    } else run = 0;
  }
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') || s === '' ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}
