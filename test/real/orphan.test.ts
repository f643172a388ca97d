// Real processes: an orphaned "pytest" (double fork) found by scanning the real /proc.
import { performance } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_REAPERS } from '../../src/proc/orphan';
import { readProcessIdentity } from '../../src/proc/readProcess';
import { ProcScanner, scanProc } from '../../src/proc/reader';
import type { ArgvMatcher } from '../../src/proc/types';
import { isRunning, killStarted, spawnOrphan, statOf, uptimeSeconds, waitFor } from '../helpers/realProcs';

// A name no other test or process uses, so parallel test files cannot interfere.
const NAME = 'pytest';
const ARG = String(300 + (process.pid % 97)); // `sleep 3xx`: unique enough to pick ours out
const matcher: ArgvMatcher = {
  needles: [NAME],
  match: (argv) => (argv[0] === NAME && argv[1] === ARG ? NAME : null),
};

afterEach(killStarted);

describe('real /proc: orphaned pytest', () => {
  it('finds a double-forked pytest re-parented onto init (or a subreaper), with its age', async () => {
    const before = uptimeSeconds();
    const { pid, starttime } = await spawnOrphan(`exec -a ${NAME} sleep ${ARG}`, NAME);
    const adoptedBy = statOf(pid)?.ppid ?? null;
    expect(adoptedBy).not.toBeNull();

    const result = await scanProc({ matcher, reapers: DEFAULT_REAPERS });
    const after = uptimeSeconds();
    expect(result.ok).toBe(true);
    const sample = result.samples.find((s) => s.pid === pid);
    expect(sample).toBeDefined();
    expect(sample).toMatchObject({ pid, ppid: adoptedBy, argv: [NAME, ARG], comm: 'sleep', orphaned: true });
    // Orphans land on pid 1 unless an ancestor is a subreaper (systemd --user, tini -s).
    if (adoptedBy !== 1) expect(DEFAULT_REAPERS).toContain(sample!.parent?.comm);
    // Started between `before` and `after`, so its age is at most after − before (+1 s tick rounding).
    expect(sample!.ageSeconds).toBeGreaterThanOrEqual(0);
    expect(sample!.ageSeconds).toBeLessThanOrEqual(after - before + 1);
    expect(sample!.uid).toBe(process.getuid?.() ?? null);
    expect(sample!.cwd).toBe(process.cwd());
    expect(result.samples.filter((s) => s.argv[1] === ARG)).toHaveLength(1);

    // The identity re-read used before a kill agrees with the scan.
    const identity = await readProcessIdentity('/proc', pid);
    expect(identity).toMatchObject({ kind: 'ok', pid, starttime: sample!.starttime, argv: [NAME, ARG] });

    process.kill(pid, 'SIGKILL');
    expect(await waitFor(() => !isRunning(pid, starttime), 5000)).toBe(true);
    const gone = await scanProc({ matcher, reapers: DEFAULT_REAPERS });
    expect(gone.samples.find((s) => s.pid === pid)).toBeUndefined();
  });

  it('ages on the boot clock: a process seen again later is older by the elapsed time', async () => {
    const { pid } = await spawnOrphan(`exec -a ${NAME} sleep ${ARG}`, NAME);
    const scanner = new ProcScanner({});
    try {
      const t0 = performance.now();
      const first = (await scanner.scan(matcher, DEFAULT_REAPERS)).samples.find((s) => s.pid === pid);
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const t1 = performance.now();
      const second = (await scanner.scan(matcher, DEFAULT_REAPERS)).samples.find((s) => s.pid === pid);
      expect(first && second).toBeTruthy();
      expect(second!.starttime).toBe(first!.starttime);
      // Each scan reads /proc/uptime once at its start (10 ms resolution): the age grows by the
      // time between the two scan starts, whatever the load on this machine.
      const grew = second!.ageSeconds - first!.ageSeconds;
      expect(grew).toBeGreaterThan(1);
      expect(Math.abs(grew - (t1 - t0) / 1000)).toBeLessThan(0.25);
    } finally {
      scanner.dispose();
    }
  });
});
