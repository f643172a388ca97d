import { readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REAPERS } from '../../../src/proc/orphan';
import { nodeProcFs } from '../../../src/proc/procFs';
import { ProcScanner, scanProc } from '../../../src/proc/reader';
import type { ProcessSample } from '../../../src/proc/types';
import { CONTAINER_ID, FIXTURE_ROOT, copyFixture, pytestMatcher } from '../../helpers/procFixture';
import { recordingFs } from '../../helpers/recordingFs';

const byPid = (samples: readonly ProcessSample[]): Map<number, ProcessSample> =>
  new Map(samples.map((s) => [s.pid, s]));

describe('scanProc on the fixture tree', () => {
  it('finds the matched processes with every field filled', async () => {
    const result = await scanProc({
      procRoot: FIXTURE_ROOT,
      matcher: pytestMatcher,
      reapers: DEFAULT_REAPERS,
    });
    expect(result.ok).toBe(true);
    expect(result.uptimeSeconds).toBe(10000);
    const samples = byPid(result.samples);
    expect([...samples.keys()].sort((a, b) => a - b)).toEqual([100, 101, 102, 107, 108]);

    expect(samples.get(100)).toEqual({
      pid: 100,
      starttime: 400000,
      ppid: 1,
      comm: 'python3',
      state: 'R',
      argv: ['python3', '-m', 'pytest', 'tests/', '-x'],
      ageSeconds: 6000, // uptime 10000 − 400000 / 100
      cpuSeconds: 130, // (12345 + 655) / 100
      rssBytes: 2048 * 4096,
      uid: 1000,
      nspid: [100, 7],
      containerId: CONTAINER_ID,
      cwd: '/work/project',
      parent: { pid: 1, comm: 'tini' },
      orphaned: true,
      pattern: 'pytest',
      sid: 100, // stat fields 6 and 5
      pgid: 100,
      threads: 0, // stat field 20 (0 in this fixture)
    });
  });

  it('tells orphans (ppid 0/1 or a reaper parent) from children of a live shell', async () => {
    const result = await scanProc({
      procRoot: FIXTURE_ROOT,
      matcher: pytestMatcher,
      reapers: DEFAULT_REAPERS,
    });
    const samples = byPid(result.samples);
    expect(samples.get(101)).toMatchObject({
      orphaned: false,
      parent: { pid: 50, comm: 'bash' },
      ageSeconds: 1000,
    });
    // Parent is a `systemd --user` subreaper; the odd comm survives intact.
    expect(samples.get(102)).toMatchObject({
      comm: '(a b ) ( c d) ',
      orphaned: true,
      parent: { pid: 60, comm: 'systemd' },
      uid: null, // no status file
      nspid: null,
      containerId: null, // no cgroup file
      cwd: null, // no cwd link
    });
    // setproctitle flattened argv; ppid 0 means the parent is outside this pid namespace.
    expect(samples.get(107)).toMatchObject({
      argv: ['pytest', '-x', 'tests'],
      ppid: 0,
      parent: null,
      orphaned: true,
    });
    // Parent 999 is gone: unknown parent, not proven orphaned.
    expect(samples.get(108)).toMatchObject({ comm: ':-) 1 2 3 4 5 6', parent: null, orphaned: false });
  });

  it('counts the vanished stat, the truncated stat, and skips kernel threads and zombies', async () => {
    const result = await scanProc({
      procRoot: FIXTURE_ROOT,
      matcher: pytestMatcher,
      reapers: DEFAULT_REAPERS,
    });
    const { durationMs, ...counts } = result.stats;
    expect(counts).toEqual({ processes: 14, matched: 5, vanished: 1, denied: 0, malformed: 1 });
    expect(durationMs).toBeGreaterThanOrEqual(0);
  });

  it('uses the reapers it is given', async () => {
    const result = await scanProc({ procRoot: FIXTURE_ROOT, matcher: pytestMatcher, reapers: ['bash'] });
    const samples = byPid(result.samples);
    expect(samples.get(101)?.orphaned).toBe(true);
    expect(samples.get(102)?.orphaned).toBe(false);
    expect(samples.get(100)?.orphaned).toBe(true); // ppid 1 whatever the list
  });

  it('computes ages with the USER_HZ it is given', async () => {
    const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, userHz: 1000 });
    const result = await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
    scanner.dispose();
    expect(byPid(result.samples).get(100)).toMatchObject({ ageSeconds: 9600, cpuSeconds: 13 });
  });

  it('fails the whole scan when the listing breaks (an incomplete listing is not exits)', async () => {
    const fs = recordingFs();
    const breaking = {
      ...fs,
      readdir: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
    };
    const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, fs: breaking });
    const result = await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
    scanner.dispose();
    expect(result).toMatchObject({ ok: false, samples: [] });
    expect(result.error).toMatch(/EIO/);
    expect(fs.openFds()).toBe(0);
  });

  it('never rejects on a root it cannot read, and reports it', async () => {
    const missing = await scanProc({ procRoot: '/nonexistent/proc', matcher: pytestMatcher, reapers: [] });
    expect(missing).toMatchObject({ ok: false, samples: [], stats: { processes: 0, matched: 0 } });
    expect(missing.error).toMatch(/\/nonexistent\/proc.*ENOENT/);

    const tree = copyFixture();
    try {
      writeFileSync(join(tree.root, 'uptime'), 'garbage\n');
      const bad = await scanProc({ procRoot: tree.root, matcher: pytestMatcher, reapers: [] });
      expect(bad).toMatchObject({ ok: false, samples: [] });
      expect(bad.error).toMatch(/uptime/);
    } finally {
      tree.remove();
    }
  });

  it('survives a matcher that throws', async () => {
    const throwing = {
      needles: [],
      match: () => {
        throw new Error('bug');
      },
    };
    const fs = recordingFs();
    const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, fs, maxCachedFds: 0 });
    const result = await scanner.scan(throwing, []);
    expect(result).toMatchObject({ ok: true, samples: [] });
    expect(fs.openFds()).toBe(0);
  });
});

describe('what the reader opens', () => {
  it('never opens environ, and reads stat/status/cgroup only for matches and their parents', async () => {
    const fs = recordingFs();
    const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, fs });
    await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
    await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
    scanner.dispose();
    const rel = fs.touched.map((p) => p.slice(FIXTURE_ROOT.length + 1));
    expect(rel.filter((p) => p.endsWith('/cmdline')).length).toBeGreaterThanOrEqual(14); // every pid
    expect(rel.filter((p) => p.endsWith('environ'))).toEqual([]);
    const statPids = new Set(
      rel.filter((p) => /\/(stat|status|cgroup|cwd)$/.test(p)).map((p) => Number(p.split('/')[0])),
    );
    // Matches (100, 101, 102, 104, 105, 107, 108) and the parents of those that had a stat.
    expect([...statPids].sort((a, b) => a - b)).toEqual([1, 50, 60, 100, 101, 102, 104, 105, 107, 108, 999]);
  });

  it('counts EACCES/EPERM as denied and skips the process (injected: root ignores file modes)', async () => {
    const fs = recordingFs({ '/101/cmdline': 'EACCES', '/100/stat': 'EPERM' });
    const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, fs });
    const result = await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
    scanner.dispose();
    expect(result.stats).toMatchObject({ denied: 2, matched: 3 });
    expect(result.samples.map((s) => s.pid).sort()).toEqual([102, 107, 108]);
    expect(fs.openFds()).toBe(0);
  });

  it('counts a process that vanishes between readdir and read', async () => {
    const tree = copyFixture();
    try {
      const fs = recordingFs();
      const racing = {
        ...fs,
        // The listing is taken, then 101 exits before its files are read.
        async readdir(path: string) {
          const names = readdirSync(path);
          rmSync(join(tree.root, '101'), { recursive: true });
          return names;
        },
      };
      const result = await scanProc({ procRoot: tree.root, matcher: pytestMatcher, reapers: [] });
      expect(result.stats.vanished).toBe(1); // 104 only, before the race
      const scanner = new ProcScanner({ procRoot: tree.root, fs: racing });
      const raced = await scanner.scan(pytestMatcher, []);
      scanner.dispose();
      expect(raced.stats).toMatchObject({ vanished: 2, matched: 4 });
    } finally {
      tree.remove();
    }
  });
});

describe('ProcScanner fd cache', () => {
  it('keeps fds across scans, respects the cap, gives the same samples, and closes all on dispose', async () => {
    for (const cap of [0, 3, 1000]) {
      const fs = recordingFs();
      const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, fs, maxCachedFds: cap });
      const first = await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
      const opensAfterCold = fs.touched.length;
      await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
      const opensBefore = fs.touched.length;
      const third = await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
      const thirdOpens = fs.touched.slice(opensBefore).filter((p) => p.endsWith('/cmdline')).length;
      expect(scanner.cachedFds).toBeLessThanOrEqual(cap);
      expect(fs.openFds()).toBe(scanner.cachedFds);
      expect(third.samples).toEqual(first.samples);
      expect(third.stats).toMatchObject({ matched: 5, vanished: 1, malformed: 1 });
      if (cap === 1000) expect(thirdOpens).toBe(0); // every cmdline through a kept fd
      if (cap === 0) expect(thirdOpens).toBe(14);
      expect(opensAfterCold).toBeGreaterThan(0);
      scanner.dispose();
      expect(fs.openFds()).toBe(0);
    }
  });

  it('re-matches a kept process whose cmdline changed, or when the matcher changes', async () => {
    const tree = copyFixture();
    const scanner = new ProcScanner({ procRoot: tree.root, maxCachedFds: 1000 });
    try {
      for (let i = 0; i < 3; i++) await scanner.scan(pytestMatcher, DEFAULT_REAPERS);
      // Rewritten in place: the kept fd reads the new bytes at position 0, as after an exec.
      writeFileSync(join(tree.root, '101', 'cmdline'), 'vim\0pytest.ini\0');
      writeFileSync(join(tree.root, '200', 'cmdline'), 'pytest\0-q\0');
      const changed = byPid((await scanner.scan(pytestMatcher, DEFAULT_REAPERS)).samples);
      expect(changed.has(101)).toBe(false);
      expect(changed.get(200)?.argv).toEqual(['pytest', '-q']);

      const vimMatcher = {
        needles: ['vim'],
        match: (argv: readonly string[]) => (argv[0] === 'vim' ? 'vim' : null),
      };
      const vims = (await scanner.scan(vimMatcher, DEFAULT_REAPERS)).samples.map((s) => s.pid).sort();
      expect(vims).toEqual([101, 106]);
    } finally {
      scanner.dispose();
      tree.remove();
    }
  });

  it('serializes concurrent scans', async () => {
    const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, sliceMs: 0 });
    const [a, b] = await Promise.all([
      scanner.scan(pytestMatcher, DEFAULT_REAPERS),
      scanner.scan(pytestMatcher, DEFAULT_REAPERS),
    ]);
    scanner.dispose();
    expect(a.samples).toEqual(b.samples);
    expect(a.stats.matched).toBe(5);
  });

  it('yields to the event loop when a slice runs out, and not otherwise', async () => {
    const ticksDuring = async (sliceMs: number): Promise<number> => {
      let ticks = 0;
      let running = true;
      const tick = (): void => {
        ticks++;
        if (running) setImmediate(tick);
      };
      // A listing that resolves at once: the real one waits on the thread pool, and the loop
      // turns then whatever the slice; here only the slicing itself may yield.
      const fs = { ...nodeProcFs, readdir: async (path: string) => readdirSync(path) };
      const scanner = new ProcScanner({ procRoot: FIXTURE_ROOT, sliceMs, fs });
      setImmediate(tick);
      const scan = scanner.scan(pytestMatcher, DEFAULT_REAPERS);
      const result = await scan;
      const seen = ticks;
      running = false;
      scanner.dispose();
      expect(result.stats.matched).toBe(5);
      return seen;
    };
    expect(await ticksDuring(1e9)).toBe(0);
    expect(await ticksDuring(0)).toBeGreaterThan(0);
  });
});
