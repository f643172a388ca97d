// Proof with the real node:fs (no seam) that a scan never opens environ: in a copy of the
// fixture every environ is a FIFO, and opening a FIFO for reading blocks until a writer
// appears. The scan runs in a child process with a timeout, so an open would show as a hang.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { copyFixture } from '../../helpers/procFixture';

const OUT_DIR = join(__dirname, '..', '..', '..', 'test-output', 'readerEnviron');

describe('environ is never opened (real fs, FIFO trap)', () => {
  it('scans a tree whose environ files are FIFOs without blocking', () => {
    const tree = copyFixture();
    try {
      const fifos: string[] = [];
      for (const name of readdirSync(tree.root)) {
        if (!/^\d+$/.test(name)) continue;
        const environ = join(tree.root, name, 'environ');
        rmSync(environ, { force: true });
        execFileSync('mkfifo', [environ]);
        fifos.push(environ);
      }
      expect(fifos.length).toBe(14);

      mkdirSync(OUT_DIR, { recursive: true });
      const bundle = join(OUT_DIR, 'scan.cjs');
      buildSync({
        stdin: {
          contents: `
            import { ProcScanner } from './src/proc/reader';
            const matcher = { needles: [], match: (argv) => argv.join(' ') };
            const scanner = new ProcScanner({ procRoot: process.argv[2] });
            (async () => {
              await scanner.scan(matcher, []);
              const r = await scanner.scan(matcher, []);
              scanner.dispose();
              console.log(JSON.stringify(r.stats));
            })();`,
          resolveDir: join(__dirname, '..', '..', '..'),
          loader: 'ts',
        },
        bundle: true,
        platform: 'node',
        outfile: bundle,
        logLevel: 'silent',
      });
      const child = spawnSync(process.execPath, [bundle, tree.root], { encoding: 'utf8', timeout: 10_000 });
      expect(child.error).toBeUndefined(); // ETIMEDOUT would mean a FIFO was opened
      expect(child.status).toBe(0);
      // Matching everything makes every process with a cmdline a candidate.
      expect(JSON.parse(child.stdout)).toMatchObject({
        processes: 14,
        matched: 10,
        vanished: 1,
        malformed: 1,
      });
    } finally {
      tree.remove();
    }
  });
});
