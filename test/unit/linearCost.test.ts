// Linear cost on hostile command lines (issue 8: three processes with ~100k-character program
// names made one scan take 12-18 s). A fast-check property builds arbitrary argv from units
// that broke the old code (slashes, digits, "1.", backticks, brackets, escapes) and runs the
// whole text path (test/helpers/textPath.ts) on it at n and 2n characters per string, up to
// 128 KiB (the kernel's MAX_ARG_STRLEN). Two measures:
// - Deterministic: V8 counts the backtracks of each regex execution. In a child process with
//   --regexp-backtracks-before-fallback=8 x 128 KiB, a regex that backtracks more (the old
//   version-suffix regex does ~n^2/2 at n = 64 KiB) falls back to V8's linear engine and
//   --trace-experimental-regexp-engine names it on stdout: any such line fails the test. V8
//   does not count steps of a greedy loop over one character class, so a regex like the old
//   trailing-slash trim escapes this count: the timing check below catches that kind.
// - Timing, for loops and greedy one-class regexes: CPU time per run (not wall time: other
//   processes on the machine do not count), over windows of repeated runs on a freshly
//   collected heap, at n and at 8n; linear work grows ~8x, quadratic ~64x, and the bound
//   (24x + 2 ms) sits far from both. Both checks are shown to catch the old code.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayCommand, shortCommand } from '../../src/watchdog/format';
import { cpuMsPerRun, linearBoundMs } from '../helpers/cpuTime';
import { argvOf, ARGV_SHAPE, KIB_128, textPath } from '../helpers/textPath';

const REPO = join(__dirname, '..', '..');
const OUT_DIR = join(REPO, 'test-output', 'linearCost');
const BACKTRACK_FLAGS = [
  '--enable-experimental-regexp-engine-on-excessive-backtracks',
  `--regexp-backtracks-before-fallback=${8 * KIB_128}`,
  '--trace-experimental-regexp-engine',
];

/** Runs `code` (TypeScript, imports relative to the repo) under V8's backtrack counter. */
function underBacktrackCounter(
  name: string,
  code: string,
): { status: number | null; stdout: string; stderr: string } {
  mkdirSync(OUT_DIR, { recursive: true });
  const file = join(OUT_DIR, `${name}.cjs`);
  buildSync({
    stdin: { contents: code, resolveDir: join(REPO, 'test', 'unit'), loader: 'ts' },
    bundle: true,
    platform: 'node',
    outfile: file,
    logLevel: 'silent',
  });
  const child = spawnSync(process.execPath, [...BACKTRACK_FLAGS, file], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

const fellBack = (stdout: string): string[] =>
  stdout.split('\n').filter((l) => l.includes('Experimental execution'));

// Child processes and CPU windows: minutes of wall time on a loaded machine are possible.
describe('the text path costs linear time in the length of the command line', { timeout: 240_000 }, () => {
  it('no regex backtracks more than linearly: n and 2n per string up to 128 KiB (property, V8 count)', () => {
    const r = underBacktrackCounter(
      'property',
      `import fc from 'fast-check';
       import { cpuMsPerRun, linearBoundMs } from '../helpers/cpuTime';
import { argvOf, ARGV_SHAPE, KIB_128, textPath } from '../helpers/textPath';
       let runs = 0;
       fc.assert(fc.property(ARGV_SHAPE, (shape) => {
         textPath(argvOf(shape, KIB_128 / 2));
         textPath(argvOf(shape, KIB_128));
         runs++;
       }), { numRuns: 15, seed: Number(process.env.PW_SEED ?? Date.now() % 100000) });
       console.log('runs ' + runs);`,
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(fellBack(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('runs 15');
  });

  it('the counter catches the old version-suffix regex (the check is not vacuous)', () => {
    const r = underBacktrackCounter(
      'oldRegex',
      `('pytest' + '1'.repeat(64 * 1024) + 'x').replace(/-?\\d+(?:\\.\\d+)*$/, '');`,
    );
    expect(r.status).toBe(0);
    expect(fellBack(r.stdout)).toHaveLength(1);
  });

  it('the timing bound catches the old trailing-slash regex (the check is not vacuous)', () => {
    const oldBasename = (path: string): string => path.replace(/\/+$/, '');
    const run = (chars: number): number => cpuMsPerRun(() => oldBasename(`${'/'.repeat(chars)}x`), 1);
    const tSmall = run(4096);
    const tLarge = run(8 * 4096);
    expect(tLarge).toBeGreaterThan(linearBoundMs(tSmall));
  });

  it('n vs 8n characters per string: time grows linearly, not quadratically (property)', () => {
    textPath(argvOf([['pytest', 'a']], 1024)); // warm the JIT before the first comparison
    fc.assert(
      fc.property(ARGV_SHAPE, (shape) => {
        const small = argvOf(shape, KIB_128 / 8);
        const large = argvOf(shape, KIB_128);
        const tSmall = cpuMsPerRun(() => textPath(small));
        const tLarge = cpuMsPerRun(() => textPath(large));
        expect(tLarge, `n: ${tSmall.toFixed(2)} ms, 8n: ${tLarge.toFixed(2)} ms`).toBeLessThan(
          linearBoundMs(tSmall),
        );
      }),
      { numRuns: 8 },
    );
  });

  it('what is shown stays bounded whatever the input size', () => {
    for (const chars of [1024, KIB_128]) {
      const argv = argvOf(
        [
          ['pytest', '`'],
          ['', '1.'],
          ['', '\u001b[2J'],
        ],
        chars,
      );
      expect(shortCommand(argv).length).toBeLessThanOrEqual(80);
      expect(displayCommand(argv).length).toBeLessThanOrEqual(1000);
    }
  });
});
