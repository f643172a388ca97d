// Hostile files under a proc root and as an env file (issue 8): a FIFO where cmdline should be
// (opening it blocked the reader for good), a symlink to /dev/zero (reading it grew a buffer
// until the process aborted with bad_alloc, which no try/catch stops), a file larger than any
// real one. Each must be counted or refused, quickly, with no hang and no abort. The scans run
// in a child process with a timeout: a regression would hang or kill it, not the test runner.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CMDLINE_BYTES, readBounded, readTextBounded } from '../../../src/proc/boundedRead';
import { parseOptions } from '../../../src/cli/args';
import { configFromOptions, SCAN_OPTIONS } from '../../../src/cli/watchOptions';
import { writeFakeProcess, writeUptime } from '../../helpers/fakeProcTree';

const REPO = join(__dirname, '..', '..', '..');
const OUT_DIR = join(REPO, 'test-output', 'boundedRead');

const PYTEST = { pid: 104, ppid: 1, comm: 'pytest', argv: ['pytest', '-x'], starttime: 500 };

let root: string;

/** Runs `code` (TypeScript, imports relative to the repo) in a child with a timeout. */
function runChild(
  name: string,
  code: string,
  args: string[],
): { status: number | null; stdout: string; timedOut: boolean } {
  const file = join(OUT_DIR, `${name}.cjs`);
  buildSync({
    stdin: { contents: code, resolveDir: REPO, loader: 'ts' },
    bundle: true,
    platform: 'node',
    outfile: file,
    logLevel: 'silent',
  });
  const child = spawnSync(process.execPath, [file, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: child.status, stdout: child.stdout, timedOut: child.error !== undefined };
}

beforeAll(() => {
  mkdirSync(OUT_DIR, { recursive: true });
  root = mkdtempSync(join(tmpdir(), 'pw-hostile-proc-'));
  writeUptime(root, 1000);
  // 100: cmdline is a FIFO. 101: cmdline is a symlink to /dev/zero. 102: matches, but its stat
  // is a symlink to /dev/zero. 103: a regular cmdline larger than any kernel would write.
  for (const pid of [100, 101, 102, 103])
    writeFakeProcess(root, { ...PYTEST, pid, argv: ['pytest', `t${pid}`] });
  rmSync(join(root, '100', 'cmdline'));
  execFileSync('mkfifo', [join(root, '100', 'cmdline')]);
  rmSync(join(root, '101', 'cmdline'));
  symlinkSync('/dev/zero', join(root, '101', 'cmdline'));
  rmSync(join(root, '102', 'stat'));
  symlinkSync('/dev/zero', join(root, '102', 'stat'));
  writeFileSync(join(root, '103', 'cmdline'), Buffer.alloc(MAX_CMDLINE_BYTES + 10, 0x61));
  writeFakeProcess(root, PYTEST);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// Each test bundles and runs a child: slow on a loaded machine, however fast the reads.
describe('reads under a hostile proc root', { timeout: 120_000 }, () => {
  it('a scan counts the FIFO, /dev/zero and oversized entries as malformed and finds the real match', () => {
    const r = runChild(
      'scan',
      `import { ProcScanner } from './src/proc/reader';
       import { createMatcher } from './src/watchdog/match';
       (async () => {
         const scanner = new ProcScanner({ procRoot: process.argv[2] });
         const m = createMatcher(['pytest']);
         const first = await scanner.scan(m, []);
         const second = await scanner.scan(m, []);
         scanner.dispose();
         console.log(JSON.stringify({ first: first.stats, second: second.stats,
           pids: second.samples.map((s) => s.pid) }));
       })();`,
      [root],
    );
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { first: object; second: object; pids: number[] };
    for (const stats of [out.first, out.second])
      expect(stats).toMatchObject({ processes: 5, matched: 1, malformed: 4, vanished: 0, denied: 0 });
    expect(out.pids).toEqual([104]);
  });

  it('the kill refuses to verify them, lists descendants past them, signals nothing', () => {
    const r = runChild(
      'kill',
      `import { createKillEnv, killProcess } from './src/proc/kill';
       import { listDescendants } from './src/proc/descendants';
       import { createMatcher } from './src/watchdog/match';
       (async () => {
         const root = process.argv[2];
         const sent = [];
         const env = createKillEnv({ procRoot: root, matcher: createMatcher(['pytest']),
           protectedPids: async () => new Set(), signal: (pid) => void sent.push(pid) });
         const outcomes = [];
         for (const pid of [100, 101, 102, 103])
           outcomes.push((await killProcess({ pid, starttime: 500, argv: ['pytest', 't' + pid] }, 'SIGTERM', env)).kind);
         const listed = await listDescendants(root, { pid: 104, starttime: 500 });
         console.log(JSON.stringify({ outcomes, sent, listed: listed.kind }));
       })();`,
      [root],
    );
    expect(r.timedOut).toBe(false);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      outcomes: ['refused', 'refused', 'refused', 'refused'],
      sent: [],
      listed: 'ok',
    });
  });

  it('a proc root whose uptime is a FIFO fails the scan at once instead of hanging', () => {
    const fifoRoot = mkdtempSync(join(tmpdir(), 'pw-hostile-uptime-'));
    try {
      execFileSync('mkfifo', [join(fifoRoot, 'uptime')]);
      const r = runChild(
        'uptime',
        `import { scanProc } from './src/proc/reader';
         scanProc({ procRoot: process.argv[2], matcher: { needles: [], match: () => null }, reapers: [] })
           .then((s) => console.log(JSON.stringify({ ok: s.ok, error: s.error })));`,
        [fifoRoot],
      );
      expect(r.timedOut).toBe(false);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, error: expect.stringContaining('EFTYPE') });
    } finally {
      rmSync(fifoRoot, { recursive: true, force: true });
    }
  });
});

describe('readBounded (the env file, the kill identity reads)', () => {
  it('refuses a FIFO and /dev/zero without blocking, and a file over the cap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-bounded-'));
    try {
      execFileSync('mkfifo', [join(dir, 'fifo')]);
      symlinkSync('/dev/zero', join(dir, 'zero'));
      writeFileSync(join(dir, 'big'), Buffer.alloc(64 * 1024 + 1, 0x41));
      writeFileSync(join(dir, 'ok'), 'WATCHDOG_PROC_AGE_MIN=5\n');
      await expect(readBounded(join(dir, 'fifo'), 1024)).rejects.toMatchObject({ code: 'EFTYPE' });
      await expect(readBounded(join(dir, 'zero'), 1024)).rejects.toMatchObject({ code: 'EFTYPE' });
      await expect(readBounded(dir, 1024)).rejects.toMatchObject({ code: 'EFTYPE' });
      await expect(readBounded(join(dir, 'big'), 64 * 1024)).rejects.toMatchObject({ code: 'EFBIG' });
      expect(await readTextBounded(join(dir, 'ok'), 64 * 1024)).toBe('WATCHDOG_PROC_AGE_MIN=5\n');
      // The CLI's --env-file: one line naming the problem (exit 2), never a hang.
      for (const [file, why] of [
        ['fifo', 'not a regular file'],
        ['zero', 'not a regular file'],
        ['big', 'larger than 64 KiB'],
      ] as const) {
        const options = parseOptions(['--env-file', join(dir, file)], SCAN_OPTIONS);
        if (typeof options === 'string') throw new Error(options);
        expect(await configFromOptions(options)).toMatch(new RegExp(`--env-file: cannot read .*: ${why}`));
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
