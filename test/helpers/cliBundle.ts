// Builds the CLI bin the way esbuild.mjs builds dist/cli.js, into a private file: dist/ may be
// rebuilt by something else while a test runs it.
import { accessSync, chmodSync, constants, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import * as esbuild from 'esbuild';

export async function bundleCli(outfile: string): Promise<void> {
  await esbuild.build({
    entryPoints: ['src/cli.ts'],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
  });
}

/** Can every user walk down to `dir`? (o+x on it and on each ancestor) */
function traversableByAll(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) return false;
    if (d === parse(d).root) return true;
  }
}

/**
 * The CLI bundled into a fresh world-readable temp folder, for tests that run it as another uid
 * (`setpriv --reuid 65534 …`). Never inside the checkout: a clone in a 0700 folder (a root
 * user's home) is unreadable for that uid, which failed with MODULE_NOT_FOUND (issue 7).
 * Falls back to /tmp when TMPDIR is private. The caller removes it with `remove()`.
 */
export async function bundleCliForAnyUser(): Promise<{ cli: string; remove: () => void }> {
  const base = traversableByAll(tmpdir()) ? tmpdir() : '/tmp';
  const dir = mkdtempSync(join(base, 'pw-cli-'));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  try {
    chmodSync(dir, 0o755); // mkdtemp makes it 0700
    const cli = join(dir, 'cli.js');
    await bundleCli(cli);
    chmodSync(cli, 0o644);
    accessSync(cli, constants.R_OK);
    return { cli, remove };
  } catch (e) {
    remove();
    throw e;
  }
}
