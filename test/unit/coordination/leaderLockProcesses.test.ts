// The lease mutex across real processes: several node processes race for the same free lease
// at the same instant, many times over; every race must elect exactly one leader.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const PROCESSES = 5;
const RACES = 20;
const RACE_GAP_MS = 150;

let base: string;
let bundle: string;

beforeAll(async () => {
  base = mkdtempSync(path.join(tmpdir(), 'pw-leader-procs-'));
  bundle = path.join(base, 'leaderLock.js');
  await esbuild.build({
    entryPoints: ['src/coordination/leaderLock.ts'],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'silent',
  });
  // Each child waits for the start instant of every race, then calls tryAcquire once.
  writeFileSync(
    path.join(base, 'racer.js'),
    `const { LeaderLock } = require(${JSON.stringify(bundle)});
const [id, startAt, races, gap, dir] = process.argv.slice(2);
(async () => {
  const won = [];
  for (let r = 0; r < Number(races); r++) {
    const at = Number(startAt) + r * Number(gap);
    while (Date.now() < at) await new Promise((res) => setTimeout(res, Math.max(0, at - Date.now())));
    const lock = new LeaderLock({ dir: dir + '/race' + r, ownerId: id, staleMs: 60000 });
    if (await lock.tryAcquire()) won.push(r);
  }
  process.stdout.write(JSON.stringify(won));
})();`,
  );
}, 60_000);
afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('LeaderLock across processes', () => {
  it(`elects exactly one leader in each of ${RACES} simultaneous races of ${PROCESSES} processes`, async () => {
    // Node start-up is slow on a loaded 2-core box: give the children time to be ready.
    const startAt = Date.now() + 4000;
    const results = await Promise.all(
      Array.from({ length: PROCESSES }, (_, i) => {
        return new Promise<number[]>((resolve, reject) => {
          const child = spawn(process.execPath, [
            path.join(base, 'racer.js'),
            `P${i}`,
            String(startAt),
            String(RACES),
            String(RACE_GAP_MS),
            base,
          ]);
          let out = '';
          child.stdout.on('data', (d: Buffer) => (out += d.toString()));
          child.on('error', reject);
          child.on('close', (code) =>
            code === 0
              ? resolve(JSON.parse(out) as number[])
              : reject(new Error(`racer ${i} exited ${code}`)),
          );
        });
      }),
    );
    const winsPerRace = Array.from(
      { length: RACES },
      (_, r) => results.filter((won) => won.includes(r)).length,
    );
    expect(winsPerRace).toEqual(Array.from({ length: RACES }, () => 1));
  }, 60_000);
});
