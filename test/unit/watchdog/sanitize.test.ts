import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MAX_CHARS,
  forMessage,
  forMessageWithLinks,
  markdownCode,
  neutralizeLinks,
  quoteValue,
  sanitize,
} from '../../../src/watchdog/sanitize';

// Anything that may not reach a screen raw: C0, DEL, C1, bidi, zero-width, BOM, lone surrogates.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- it names exactly the characters that must not pass
  /[\u0000-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/u;

describe('sanitize', () => {
  it.each([
    ['pytest -x tests', 'pytest -x tests'],
    ['a\u001b]0;pwned\u0007b', 'a\\x1B]0;pwned\\x07b'],
    ['clear\u001b[2J', 'clear\\x1B[2J'],
    ['line1\nline2\ttab\r', 'line1\\nline2\\ttab\\r'],
    ['x\u0085y\u009bz', 'x\\x85y\\x9Bz'],
    ['rm \u202Eexe.txt', 'rm \\u{202E}exe.txt'],
    ['a\u200Bb\u2066c\u2069', 'a\\u{200B}b\\u{2066}c\\u{2069}'],
    ['\ufeffbom', '\\u{FEFF}bom'],
    ['lone \ud800 high', 'lone \\u{D800} high'],
    ['emoji 🐍 ok', 'emoji 🐍 ok'],
    ['tag\u{E0041}', 'tag\\u{E0041}'],
  ])('%j -> %j', (input, want) => {
    expect(sanitize(input)).toBe(want);
  });

  it('caps the length with one ellipsis at the end, or once in the middle', () => {
    const long = 'a'.repeat(50) + 'b'.repeat(50);
    expect(sanitize(long, 11)).toBe('aaaaaaaaaa…');
    expect(sanitize(long, { maxChars: 11, elide: 'middle' })).toBe('aaaaa…bbbbb');
    expect(sanitize('short', { maxChars: 11, elide: 'middle' })).toBe('short');
    expect(sanitize(long, { maxChars: 11, elide: 'middle', headChars: 3 })).toBe('aaa…bbbbbbb');
    expect(sanitize(long, { maxChars: 11, elide: 'middle', headChars: 99 })).toBe('aaaaaaaaa…b');
  });

  it('never splits an escape when it cuts', () => {
    expect(sanitize('ab\u001bcdef', 5)).toBe('ab…');
  });

  it('turns non-strings into text', () => {
    expect(sanitize(42)).toBe('42');
    expect(sanitize(null)).toBe('null');
  });

  it('property: output has no forbidden character and respects the cap', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 400 }),
        fc.integer({ min: 1, max: 300 }),
        (s, max) => {
          for (const elide of ['end', 'middle'] as const) {
            const out = sanitize(s, { maxChars: max, elide });
            expect(out.length).toBeLessThanOrEqual(max);
            expect(FORBIDDEN.test(out)).toBe(false);
          }
        },
      ),
    );
  });

  it('property: printable text that fits is unchanged', () => {
    const printable = fc.constantFrom(...Array.from('az AZ09-_/.:=[](){}<>`\'"|\\~#%é漢Ωж🐍'));
    fc.assert(
      fc.property(fc.string({ unit: printable, maxLength: DEFAULT_MAX_CHARS / 2 }), (s) => {
        expect(sanitize(s)).toBe(s);
      }),
    );
  });
});

describe('link syntax', () => {
  it('no [label](command:…) survives in message text', () => {
    const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)/i; // VS Code's LINK_REGEX
    for (const hostile of [
      '[Fix now](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%22%7D)',
      '[a](https://evil.example)',
      '[b](file:///etc/passwd)',
      'see [y](command:z) now',
    ]) {
      expect(LINK.test(hostile)).toBe(true);
      expect(LINK.test(forMessage(hostile))).toBe(false);
    }
    expect(LINK.test(neutralizeLinks(`${sanitize('[Fix]')}${sanitize('(command:x)')}`))).toBe(false);
  });

  it('setting values are shown JSON-quoted and sanitized', () => {
    expect(quoteValue('[Reset](command:x)')).toBe('"[Reset](command:x)"');
    expect(forMessage(quoteValue('[Reset](command:x)'))).toBe('"[Reset] (command:x)"');
    expect(quoteValue({ a: 1 })).toBe('{"a":1}');
    expect(quoteValue('x'.repeat(500)).length).toBeLessThanOrEqual(80);
  });

  it('markdownCode fences past the longest backtick run, linearly', () => {
    expect(markdownCode('a`b``c')).toBe('```a`b``c```');
    expect(markdownCode('`x`')).toBe('`` `x` ``');
    const many = '`a'.repeat(100_000);
    expect(markdownCode(many, 50).startsWith('``')).toBe(true);
  });
});

describe('forMessageWithLinks', () => {
  it.each([
    ['pytest -k test_a[p1]', 'pytest -k test_a[p1]'],
    ['pytest tests/x.py::test_a[par…', 'pytest tests/x.py::test_a\uff3bpar…'],
    ['[a] then [b', '[a] then \uff3bb'],
    ['[x](command:evil)', '[x] (command:evil)'],
  ])('%j -> %j', (input, want) => {
    expect(forMessageWithLinks(input)).toBe(want);
  });

  it('outside text followed by our own link forms no link but ours', () => {
    // vs/base/common/linkedText's LINK_REGEX, as VS Code parses notification messages.
    const LINK = /\[([^\]]+)\]\(((?:https?:\/\/|command:|file:)[^)\s]+)(?: (["'])(.+?)(\3))?\)/gi;
    const message = `Blocking: ${forMessageWithLinks('pytest -k t[a')} [Show](command:ours)`;
    expect([...message.matchAll(LINK)].map((m) => m[1])).toEqual(['Show']);
  });
});
