// The editor's scan source: the kept scanner on a worker thread (the real bundled worker, as
// esbuild.mjs builds dist/scanWorker.js). It must give what the kept scanner gives, never reject,
// survive a worker that fails or exits, and leave no fd into the proc root once disposed.
import { mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { KeptScanConfig, LineageStore } from '../../../src/proc/keptScanner';
import type { LineageState } from '../../../src/proc/lineage';
import { WorkerScanner } from '../../../src/proc/workerScanner';
import { spinnerOrphan, writeDiagProcess, writeInit, writeUptime } from '../../helpers/fakeProcTree';

const out = resolve('test-output/worker-scanner');
const script = join(out, 'scanWorker.js');
let root: string;

const config = (): KeptScanConfig => ({
  procRoot: root,
  patterns: ['pytest'],
  reapers: [],
  testChildren: true,
});

/** fds of this process open on something under the fake root. */
function fdsIntoRoot(): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(`/proc/self/fd/${fd}`).startsWith(root)) n++;
    } catch {
      // the fd of the listing itself, closed by now
    }
  }
  return n;
}

beforeAll(async () => {
  mkdirSync(out, { recursive: true });
  await esbuild.build({
    entryPoints: ['src/scanWorker.ts'],
    outfile: script,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'silent',
  });
}, 60_000);

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'worker-fixture-'));
  writeUptime(root, 10_000);
  mkdirSync(join(root, 'sys/kernel/random'), { recursive: true });
  writeFileSync(join(root, 'sys/kernel/random/boot_id'), 'boot-a\n');
  // A pytest with a child, orphaned onto init: a match, diagnosed, and lineage to save.
  writeInit(root, [900]);
  writeDiagProcess(root, spinnerOrphan(900, { comm: 'pytest', argv: ['pytest', 'tests'], children: [901] }));
  writeDiagProcess(root, spinnerOrphan(901, { ppid: 900 }));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('WorkerScanner', () => {
  it('scans on its thread what the kept scanner finds, saves lineage through the main thread, and closes its fds on dispose', async () => {
    const saved: LineageState[] = [];
    const store: LineageStore = { load: () => undefined, save: (s) => saved.push(s) };
    const scanner = new WorkerScanner({ script, store, workspaces: () => ['/srv/ws'] });
    const before = fdsIntoRoot();
    const first = await scanner.scan(config());
    expect(first.ok).toBe(true);
    expect(first.samples.map((s) => s.pid)).toEqual([900]);
    const diagnosis = first.samples[0]?.diagnosis;
    expect(diagnosis?.workers.map((w) => w.pid)).toEqual([901]);
    expect(diagnosis?.activity.cpuPercent).not.toBeNull(); // the first scan's second reading
    const second = await scanner.scan(config());
    expect(second.samples.map((s) => s.pid)).toEqual([900]);
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.at(-1)?.entries.map((e) => e.pid)).toContain(901);
    expect(fdsIntoRoot()).toBeGreaterThan(before); // kept fds: the worker's, in this process
    await scanner.dispose();
    expect(fdsIntoRoot()).toBe(before);
    // Disposed is not dead: the next scan starts a new worker.
    expect((await scanner.scan(config())).ok).toBe(true);
    await scanner.dispose();
  }, 20_000);

  it('a worker that cannot load, or exits, gives a failed scan naming why, never a rejection', async () => {
    const broken = join(out, 'broken.js');
    writeFileSync(broken, 'throw new Error("boom at load");\n');
    const failing = new WorkerScanner({ script: broken });
    const failed = await failing.scan(config());
    expect(failed.ok).toBe(false);
    expect(failed.error).toMatch(/scan worker failed: .*boom at load/);
    await failing.dispose();

    const exiting = join(out, 'exits.js');
    writeFileSync(exiting, 'process.exit(3);\n');
    const gone = await new WorkerScanner({ script: exiting }).scan(config());
    expect(gone).toMatchObject({ ok: false, error: 'the scan worker exited (code 3)' });

    const missing = await new WorkerScanner({ script: join(out, 'no-such-worker.js') }).scan(config());
    expect(missing.ok).toBe(false);
    expect(missing.error).toMatch(/scan worker/);
  }, 20_000);
});
