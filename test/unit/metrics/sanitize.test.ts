import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeText } from '../../../src/metrics/sanitize';

describe('sanitizeText', () => {
  it.each([
    ['pytest -x tests', 'pytest -x tests'],
    ['a\nb\tc\rd', 'a\\u{A}b\\u{9}c\\u{D}d'],
    ['\x1b[31mred', '\\u{1B}[31mred'],
    ['evil\u202Egnp.exe', 'evil\\u{202E}gnp.exe'],
    ['zero\u200Bwidth\uFEFF', 'zero\\u{200B}width\\u{FEFF}'],
    ['isolate\u2066x\u2069', 'isolate\\u{2066}x\\u{2069}'],
    ['back\\slash', 'back\\\\slash'],
    ['lone \uD800 surrogate', 'lone \\u{D800} surrogate'],
    ['c1 \x85 nel \x7f del', 'c1 \\u{85} nel \\u{7F} del'],
    ['ünïcödé 日本 😀', 'ünïcödé 日本 😀'],
  ])('%j -> %j', (input, want) => {
    expect(sanitizeText(input)).toBe(want);
  });

  it('caps the length in code points, with an ellipsis only when something was cut', () => {
    expect(sanitizeText('abcdef', 6)).toBe('abcdef');
    expect(sanitizeText('abcdefg', 6)).toBe('abcde…');
    expect(sanitizeText('😀😀😀', 2)).toBe('😀…');
    expect(sanitizeText('x'.repeat(10_000))).toHaveLength(200);
  });

  it('never lets a control, bidi or zero-width character through, whatever the input', () => {
    // eslint-disable-next-line no-control-regex -- the control characters are what is tested
    const dangerous = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 1, max: 300 }), (text, max) => {
        const out = sanitizeText(text, max);
        expect(dangerous.test(out)).toBe(false);
        // Well-formed UTF-16 (no lone surrogate): encodes to valid UTF-8 on the wire.
        expect(Buffer.from(out, 'utf8').toString('utf8')).toBe(out);
        expect([...text].length <= max || out.endsWith('…')).toBe(true);
      }),
    );
  });
});
