// Outside text (command lines, program names, container ids read under the proc root) made safe
// for a Prometheus label value or an Alertmanager annotation, per DESIGN.md "Outside text is
// hostile": control, bidi and zero-width characters are escaped as \u{XXXX} (so a label cannot
// reorder or hide what a dashboard or a chat notification shows), the length is capped, and the
// work is one linear pass.
// There was no shared sanitizer in src/ when this was written; when one lands, this file should
// become a call to it (issue 10 report).

/** Longest label value we export for a command line, in code points (the "…" included). */
export const MAX_COMMAND_CHARS = 200;
/** Program names and container ids: short by nature, a long one is suspicious. */
export const MAX_NAME_CHARS = 64;

function mustEscape(cp: number): boolean {
  return (
    cp < 0x20 || // C0 controls, \n \t \r included
    (cp >= 0x7f && cp <= 0x9f) || // DEL and C1 controls
    cp === 0x061c || // Arabic letter mark (bidi)
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, bidi embeddings and overrides
    (cp >= 0x2060 && cp <= 0x2069) || // word joiner, invisible operators, bidi isolates
    cp === 0xfeff || // zero-width no-break space (BOM)
    (cp >= 0xd800 && cp <= 0xdfff) // a lone surrogate (not valid UTF-8 on the wire)
  );
}

/**
 * `text` with every dangerous character escaped as `\u{XXXX}` (and `\` as `\\`, so an escape in
 * the output is always ours), cut to `maxChars` code points of input, the last one replaced by
 * "…" when something was cut. Reads at most `maxChars + 1` code points of the input.
 */
export function sanitizeText(text: string, maxChars: number = MAX_COMMAND_CHARS): string {
  const limit = Math.max(1, Math.floor(maxChars));
  const pieces: string[] = [];
  for (const ch of text) {
    if (pieces.length === limit) {
      // One more code point exists: cut, and say so.
      pieces[limit - 1] = '…';
      break;
    }
    const cp = ch.codePointAt(0) ?? 0;
    pieces.push(ch === '\\' ? '\\\\' : mustEscape(cp) ? `\\u{${cp.toString(16).toUpperCase()}}` : ch);
  }
  return pieces.join('');
}
