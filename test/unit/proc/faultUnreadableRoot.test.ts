// Fault: the proc root becomes unreadable mid-run (it vanishes, or is replaced by a file).
// Such scans report ok=false and must recover nothing; watching resumes once it is back.
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness } from '../../helpers/monitorHarness';
import type { Harness } from '../../helpers/monitorHarness';
import { removeFakeProcess, writeFakeProcess, writeUptime } from '../../helpers/fakeProcTree';

const UPTIME = 10_000;
// Started 2 h before "now" on the boot clock: older than the 60 min threshold.
const OLD = {
  pid: 4242,
  ppid: 1,
  comm: 'pytest',
  argv: ['pytest', 'tests/'],
  starttime: (UPTIME - 7200) * 100,
};
const INIT = { pid: 1, ppid: 0, comm: 'tini', argv: ['tini', '--', 'orchestrator'], starttime: 1 };

let base: string;
let root: string;
let h: Harness;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'pw-fault-root-'));
  root = join(base, 'proc');
  writeUptime(root, UPTIME);
  writeFakeProcess(root, INIT);
  writeFakeProcess(root, OLD);
  h = createHarness(root);
});
afterEach(() => {
  h.dispose();
  rmSync(base, { recursive: true, force: true });
});

const eventTypes = (t: { events: readonly { type: string }[] }): string[] => t.events.map((e) => e.type);

describe('proc root unreadable mid-run', () => {
  it.each([
    [
      'vanishes (renamed away)',
      () => renameSync(root, `${root}.away`),
      () => renameSync(`${root}.away`, root),
    ],
    [
      'is replaced by a plain file',
      () => {
        renameSync(root, `${root}.away`);
        writeFileSync(root, 'not a directory');
      },
      () => {
        rmSync(root);
        renameSync(`${root}.away`, root);
      },
    ],
  ])('%s: scans fail, nothing recovers, watching resumes', async (_name, breakRoot, repair) => {
    const first = await h.tick();
    expect(first.scan.ok).toBe(true);
    expect(eventTypes(first)).toEqual(['fire']);

    breakRoot();
    for (let i = 0; i < 4; i++) {
      const t = await h.tick();
      expect(t.scan.ok).toBe(false);
      expect(t.scan.error).toMatch(/cannot read/);
      expect(t.events).toEqual([]);
    }
    // The fired entity is still remembered: absent-from-a-failed-scan is no evidence of exit.
    expect(Object.keys(h.monitor.getState().entities)).toEqual(['4242:' + OLD.starttime]);

    repair();
    const back = await h.tick();
    expect(back.scan.ok).toBe(true);
    expect(back.signals.map((s) => s.pid)).toEqual([4242]);
    expect(back.events).toEqual([]); // neither a recovery nor a second FIRE

    // Real exit after that is still recovered, after two ok scans without it.
    removeFakeProcess(root, OLD.pid);
    expect((await h.tick()).events).toEqual([]);
    const gone = await h.tick();
    expect(gone.events).toEqual([expect.objectContaining({ type: 'recovery', pid: 4242, reason: 'exited' })]);
  });

  it('a failed scan in between two misses does not count as a miss', async () => {
    await h.tick();
    removeFakeProcess(root, OLD.pid);
    expect((await h.tick()).events).toEqual([]); // miss 1
    renameSync(root, `${root}.away`);
    expect((await h.tick()).events).toEqual([]); // failed scan: not miss 2
    renameSync(`${root}.away`, root);
    writeFakeProcess(root, OLD); // it was only hidden: back again
    // Had the failed scan counted as miss 2, the entity would have been dropped and this scan
    // would FIRE it again as new.
    expect((await h.tick()).events).toEqual([]);
    expect((await h.tick()).events).toEqual([]);
  });
});
