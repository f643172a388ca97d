import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCmdline } from '../../../src/proc/parseCmdline';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('parseCmdline', () => {
  it.each<[string, string, string[]]>([
    ['NUL-separated with trailing NUL', 'python3\0-m\0pytest\0-x\0', ['python3', '-m', 'pytest', '-x']],
    [
      'an argument with spaces stays whole',
      '/usr/bin/python3\0/my dir/test a.py\0',
      ['/usr/bin/python3', '/my dir/test a.py'],
    ],
    ['empty (kernel thread or zombie)', '', []],
    ['only NULs', '\0\0\0', []],
    ['no trailing NUL (truncated read)', 'sleep\x00600', ['sleep', '600']],
    ['empty argument in the middle is kept', 'printf\0\0x\0', ['printf', '', 'x']],
    ['setproctitle NUL padding is dropped', 'pytest: worker gw0\0\0\0\0\0\0', ['pytest:', 'worker', 'gw0']],
    [
      'NULs replaced by spaces (psutil #1179)',
      'python3 -m pytest -x tests/',
      ['python3', '-m', 'pytest', '-x', 'tests/'],
    ],
    ['setproctitle with runs of spaces', 'celery  worker   -A x\0', ['celery', 'worker', '-A', 'x']],
    ['single argument without spaces', '/sbin/init\0', ['/sbin/init']],
  ])('%s', (_name, raw, expected) => {
    expect(parseCmdline(raw)).toEqual(expected);
    expect(parseCmdline(bytes(raw))).toEqual(expected);
  });

  it('decodes invalid UTF-8 with replacement characters instead of failing', () => {
    expect(parseCmdline(new Uint8Array([0x70, 0xff, 0x00, 0x61, 0x00]))).toEqual(['p\uFFFD', 'a']);
  });

  it('round-trips argv joined with NULs when there are at least two arguments (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string().filter((s) => !s.includes('\0')),
          { minLength: 2, maxLength: 8 },
        ),
        (argv) => {
          // Trailing empty arguments are indistinguishable from setproctitle padding.
          fc.pre(argv[argv.length - 1] !== '');
          expect(parseCmdline(bytes(argv.join('\0') + '\0'))).toEqual(argv);
        },
      ),
    );
  });

  it('never throws and never returns a NUL inside an argument (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (raw) => {
        const argv = parseCmdline(raw);
        for (const arg of argv) expect(arg.includes('\0')).toBe(false);
      }),
    );
  });
});
