import { describe, expect, it } from 'vitest';
import { parseEnvFile } from '../../../src/watchdog/envFile';

function values(text: string): Record<string, string> {
  return Object.fromEntries([...parseEnvFile(text).values].map(([k, v]) => [k, v.value]));
}

describe('parseEnvFile', () => {
  it.each([
    ['plain', 'A=1', { A: '1' }],
    ['spaces around =', 'A = 1 ', { A: '1' }],
    ['export prefix', 'export A=1', { A: '1' }],
    ['= inside the value', 'URL=postgres://u:p@h/db?x=1', { URL: 'postgres://u:p@h/db?x=1' }],
    ['inline comment after unquoted value', 'A=30 # minutes', { A: '30' }],
    ['# without space is part of the value', 'A=a#b', { A: 'a#b' }],
    ['double quotes keep # and spaces', 'A=" x # y "', { A: ' x # y ' }],
    ['single quotes are literal', "A='a\\nb'", { A: 'a\\nb' }],
    ['double-quote escapes', 'A="a\\nb\\"c\\\\"', { A: 'a\nb"c\\' }],
    ['comment after a quoted value', 'A="x" # note', { A: 'x' }],
    ['empty value', 'A=', { A: '' }],
    ['empty quoted value', 'A=""', { A: '' }],
    ['later assignment wins', 'A=1\nA=2', { A: '2' }],
    ['comments and blank lines', '# c\n\n   # indented\nA=1\n', { A: '1' }],
    ['CRLF', 'A=1\r\nB=2\r\n', { A: '1', B: '2' }],
    ['BOM', '\uFEFFA=1', { A: '1' }],
    ['multi-line double quotes', 'A="l1\nl2"\nB=3', { A: 'l1\nl2', B: '3' }],
  ])('%s', (_name, text, want) => {
    expect(values(text)).toEqual(want);
    expect(parseEnvFile(text).problems).toEqual([]);
  });

  it('records the line of each key (CRLF and multi-line values counted right)', () => {
    const parsed = parseEnvFile('# head\r\nA="x\r\ny"\r\n\r\nB=2');
    expect(parsed.values.get('A')?.line).toBe(2);
    expect(parsed.values.get('B')?.line).toBe(5);
  });

  it('reports malformed lines with their number and keeps going', () => {
    const parsed = parseEnvFile('A=1\nWATCHDOG_PROC_AGE_MIN 30\nB="x" y\nC=3');
    expect(values('A=1\nWATCHDOG_PROC_AGE_MIN 30\nB="x" y\nC=3')).toEqual({ A: '1', C: '3' });
    expect(parsed.problems).toEqual([
      { line: 2, text: 'WATCHDOG_PROC_AGE_MIN 30', message: 'not a KEY=value line' },
      { line: 3, text: 'B="x" y', message: 'unexpected text after the closing quote' },
    ]);
  });

  it('an unterminated quote is a problem, not a value that swallows the file', () => {
    const parsed = parseEnvFile('A=1\nB="open\nC=3');
    expect(parsed.values.get('B')).toBeUndefined();
    expect(parsed.problems[0]).toMatchObject({ line: 2, message: 'unterminated " quote' });
  });

  it('never throws on arbitrary text', () => {
    for (const text of ['', '=', '==', '"', "'", 'export', 'export =1', '\0\0', 'A="\\', '\r\r\n\n']) {
      expect(() => parseEnvFile(text)).not.toThrow();
    }
  });
});
