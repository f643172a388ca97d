// The one kept scanner of both front ends: lineage of test children survives a restart through
// its store (the editor's workspaceState), written only when it changed, and bounded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SAMPLE_AFTER_MS } from '../../../src/proc/diagnosingScanner';
import { boundedLineage, KeptScanner, STORED_LINEAGE_ENTRIES } from '../../../src/proc/keptScanner';
import type { KeptScanConfig, LineageStore } from '../../../src/proc/keptScanner';
import type { LineageEntry, LineageState } from '../../../src/proc/lineage';
import { createMatcher } from '../../../src/watchdog/match';
import {
  removeFakeProcess,
  spinnerOrphan,
  writeDiagProcess,
  writeInit as writeInitAt,
  writeUptime,
} from '../../helpers/fakeProcTree';

let root: string;

const proc = spinnerOrphan;
const writeInit = (children: readonly number[]): void => writeInitAt(root, children);

/** A workspaceState stand-in that counts writes. */
function memento(): LineageStore & { value: unknown; writes: number } {
  const m = {
    value: undefined as unknown,
    writes: 0,
    load: () => m.value,
    save: (state: LineageState) => {
      m.value = JSON.parse(JSON.stringify(state)) as unknown;
      m.writes++;
    },
  };
  return m;
}

const config = (): KeptScanConfig => ({
  procRoot: root,
  patterns: ['pytest'],
  reapers: [],
  testChildren: true,
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'kept-fixture-'));
  writeUptime(root, 10_000);
  mkdirSync(join(root, 'sys/kernel/random'), { recursive: true });
  writeFileSync(join(root, 'sys/kernel/random/boot_id'), 'boot-a\n');
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('KeptScanner', () => {
  it('writes no lineage while there is none', async () => {
    writeInit([]);
    const store = memento();
    const kept = new KeptScanner({ createMatcher, store });
    await kept.scan(config());
    await kept.scan(config());
    expect(store.writes).toBe(0);
    kept.dispose();
  });

  it('saves lineage when it changes (not every scan), and a new scanner (a window reload) restores it', async () => {
    writeInit([900]);
    writeDiagProcess(root, proc(900, { comm: 'pytest', argv: ['pytest', 'tests'], children: [901] }));
    writeDiagProcess(root, proc(901, { ppid: 900 }));
    const store = memento();
    const kept = new KeptScanner({ createMatcher, store });
    await kept.scan(config());
    await kept.scan(config());
    expect(store.writes).toBe(1); // the seen-at clock moved, the ties did not
    kept.dispose();

    removeFakeProcess(root, 900); // pytest SIGKILLed while the window reloads
    writeInit([901]);
    writeDiagProcess(root, proc(901, {}));
    const reloaded = new KeptScanner({ createMatcher, store });
    const result = await reloaded.scan(config());
    expect(result.samples.map((s) => [s.pid, s.leftBy?.evidence])).toEqual([[901, 'lineage']]);
    reloaded.dispose();
  });

  it('takes a second CPU reading SAMPLE_AFTER_MS into its first scan only: what already spins says so at once', async () => {
    writeInit([900]);
    const pytest = { comm: 'pytest', argv: ['pytest', 'tests'], state: 'R' } as const;
    writeDiagProcess(root, proc(900, { ...pytest, utimeTicks: 5 }));
    const pauses: number[] = [];
    const kept = new KeptScanner({
      createMatcher,
      sleep: (ms) => {
        pauses.push(ms);
        // Half a second later the pytest has burned 50 more ticks: a whole core (USER_HZ 100).
        writeUptime(root, 10_000.5);
        writeDiagProcess(root, proc(900, { ...pytest, utimeTicks: 55 }));
        return Promise.resolve();
      },
    });
    const first = await kept.scan(config());
    expect(pauses).toEqual([SAMPLE_AFTER_MS]);
    expect(first.samples[0]?.diagnosis?.activity).toMatchObject({ cpuPercent: 100, verdict: 'spinning' });
    writeUptime(root, 10_030.5);
    const next = await kept.scan(config());
    expect(pauses).toEqual([SAMPLE_AFTER_MS]); // later scans measure from the previous one
    expect(next.samples[0]?.diagnosis?.activity).toMatchObject({ cpuPercent: 0, verdict: 'idle' });
    kept.dispose();
  });

  it('survives a store that throws or holds garbage', async () => {
    writeInit([]);
    const kept = new KeptScanner({
      createMatcher,
      store: {
        load: () => {
          throw new Error('corrupt');
        },
        save: () => undefined,
      },
    });
    expect((await kept.scan(config())).ok).toBe(true);
    const garbage = new KeptScanner({
      createMatcher,
      store: { load: () => ({ version: 9 }), save: () => undefined },
    });
    expect((await garbage.scan(config())).ok).toBe(true);
    kept.dispose();
    garbage.dispose();
  });

  it('persists the most recently seen entries only', () => {
    const entry = (i: number): LineageEntry => ({
      pid: i,
      starttime: i,
      run: '1:1',
      pattern: 'pytest',
      basetemp: null,
      testDir: null,
      seenAt: i,
    });
    const entries = Array.from({ length: STORED_LINEAGE_ENTRIES + 10 }, (_, i) => entry(i));
    const state: LineageState = { version: 1, bootId: 'b', entries, basetemps: [] };
    const bounded = boundedLineage(state);
    expect(bounded.entries).toHaveLength(STORED_LINEAGE_ENTRIES);
    expect(bounded.entries[0]!.pid).toBe(10);
    expect(boundedLineage({ ...state, entries: entries.slice(0, 3) }).entries).toHaveLength(3);
  });
});
