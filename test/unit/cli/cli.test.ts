import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundleCli } from '../../helpers/cliBundle';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ProcessSample, ScanResult } from '../../../src/proc/types';
import { main } from '../../../src/cli';
import { parseOptions } from '../../../src/cli/args';
import { benchCommand } from '../../../src/cli/benchCommand';
import type { BenchFn } from '../../../src/cli/benchCommand';
import { memoryIo } from '../../../src/cli/io';
import { scanCommand } from '../../../src/cli/scanCommand';
import { eventLine, watchCommand } from '../../../src/cli/watchCommand';
import { SCAN_OPTIONS } from '../../../src/cli/watchOptions';
import { makeSample } from '../../helpers/samples';

const FIXTURE = resolve(__dirname, '../../fixtures/cli/proc');

interface Json {
  processes: {
    pid: number;
    starttime: number;
    ppid: number;
    argv: string[];
    ageSeconds: number;
    orphaned: boolean;
    state: string;
  }[];
  signals: { kind: string; pid: number; starttime: number; active: boolean }[];
  stats: Record<string, number>;
}

async function scanJson(args: string[]): Promise<Json> {
  const io = memoryIo();
  const code = await scanCommand(['--json', '--no-sample', '--proc-root', FIXTURE, ...args], io);
  expect(io.err).toEqual([]);
  expect(code).toBe(0);
  expect(io.out).toHaveLength(1);
  return JSON.parse(io.out[0] ?? '') as Json;
}

describe('parseOptions', () => {
  it('reads flags, values (both spellings), numbers and repeated lists', () => {
    const parsed = parseOptions(
      ['--json', '--proc-root=/p', '--pattern', 'pytest', '--pattern=tox', '--age-min', '-0.5'],
      SCAN_OPTIONS,
    );
    if (typeof parsed === 'string') throw new Error(parsed);
    expect([...parsed.flags]).toEqual(['--json']);
    expect(parsed.strings.get('--proc-root')).toBe('/p');
    expect(parsed.lists.get('--pattern')).toEqual(['pytest', 'tox']);
    expect(parsed.numbers.get('--age-min')).toBe(-0.5);
  });

  it.each([
    [['--nope'], 'unknown option --nope'],
    [['stray'], 'unexpected argument "stray"'],
    [['--age-min'], '--age-min needs a value'],
    [['--age-min', '12abc'], '--age-min: not a number: "12abc"'],
    [['--age-min', ''], '--age-min: not a number: ""'],
    [['--json=yes'], '--json takes no value'],
    [['--proc-root='], '--proc-root needs a non-empty value'],
  ])('%j -> %s', (args, error) => {
    expect(parseOptions(args, SCAN_OPTIONS)).toBe(error);
  });
});

describe('scan on the fixture tree', () => {
  it('prints the JSON contract: matched processes, signals, stats', async () => {
    const json = await scanJson([]);
    expect(json.processes.map((p) => p.pid).sort()).toEqual([200, 201, 204]);
    const p200 = json.processes.find((p) => p.pid === 200);
    expect(p200).toMatchObject({ ppid: 1, orphaned: true, state: 'S', ageSeconds: 99000, starttime: 100000 });
    expect(p200?.argv).toEqual(['/venv/bin/python3', '-m', 'pytest', '-x', 'tests/unit']);
    expect(json.signals.map((s) => [s.kind, s.pid, s.active]).sort()).toEqual([
      ['proc_blocking', 200, true],
      ['proc_blocking', 201, false],
      ['proc_blocking', 204, true],
    ]);
    expect(json.stats).toMatchObject({ processes: 8, matched: 3, vanished: 0, denied: 0, malformed: 0 });
    expect(typeof json.stats.durationMs).toBe('number');
  });

  it('--age-min 0 makes every match active; --orphans-only drops the attached one', async () => {
    expect((await scanJson(['--age-min', '0'])).signals.every((s) => s.active)).toBe(true);
    const only = await scanJson(['--age-min', '0', '--orphans-only']);
    expect(
      only.signals
        .filter((s) => s.active)
        .map((s) => s.pid)
        .sort(),
    ).toEqual([200, 204]);
  });

  it('--pattern replaces the default and is program-aware', async () => {
    expect((await scanJson(['--pattern', 'vim'])).processes.map((p) => p.pid)).toEqual([202]);
    expect((await scanJson(['--pattern', 'coverage'])).processes.map((p) => p.pid)).toEqual([204]);
  });

  it('the table lists oldest first, marks blocking rows and says how to kill', async () => {
    const io = memoryIo();
    expect(await scanCommand(['--proc-root', FIXTURE, '--no-sample'], io)).toBe(0);
    expect(io.out[0]).toMatch(/PID:START\s+AGE\s+ORPHANED\s+CPU\s+ACTIVITY/);
    // Without a second reading the CPU column is the average over its life, marked `~`.
    expect(io.out[1]).toMatch(
      /^!\s+200:100000\s+1d 3h\s+tini \(PID 1\)\s+~91%\s+unknown.*pytest -x tests\/unit$/,
    );
    expect(io.out[2]).toMatch(/^ {4}run: session 0, group 0/);
    const rows = io.out.filter((l) => /^[! ] {2}\d/.test(l));
    expect(rows[2]).toMatch(/^\s+201:9988000\s+2m\s+no\s.*pytest -k "merge gate"$/);
    expect(io.out).toContain('kill one with: proc-watchdog kill <PID:START>');
    expect(io.out.join('\n')).toContain(
      '3 matched [pytest], 2 blocking (older than 1h); 8 processes scanned',
    );
  });

  it('reads WATCHDOG_PROC_* from --env-file; options win over it', async () => {
    const dir = resolve('test-output/cli-env');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, '.env.watchdog');
    writeFileSync(file, 'WATCHDOG_PROC_AGE_MIN=0\nWATCHDOG_PROC_PATTERNS=vim,pytest\n');
    const fromEnv = await scanJson(['--env-file', file]);
    expect(fromEnv.processes.map((p) => p.pid).sort()).toEqual([200, 201, 202, 204]);
    expect(fromEnv.signals.every((s) => s.active)).toBe(true);
    const overridden = await scanJson(['--env-file', file, '--age-min', '60']);
    expect(
      overridden.signals
        .filter((s) => s.active)
        .map((s) => s.pid)
        .sort(),
    ).toEqual([200, 204]);
  });
});

describe("scan on collector's proc-basic tree (odd files counted, not fatal)", () => {
  it('reports the matches with orphan state and counts vanished/malformed', async () => {
    const io = memoryIo();
    const root = resolve(__dirname, '../../fixtures/proc-basic');
    expect(await scanCommand(['--json', '--proc-root', root, '--age-min', '0'], io)).toBe(0);
    const json = JSON.parse(io.out[0] ?? '') as Json;
    expect(json.stats).toMatchObject({ processes: 14, matched: 5, vanished: 1, denied: 0, malformed: 1 });
    const orphaned = Object.fromEntries(json.processes.map((p) => [p.pid, p.orphaned]));
    expect(orphaned).toEqual({ 100: true, 101: false, 102: true, 107: true, 108: false });
    expect(json.signals.every((s) => s.active)).toBe(true);
  });
});

describe('bad arguments: exit 2, one line on stderr', () => {
  it.each([
    [['scan', '--bogus'], 'proc-watchdog scan: unknown option --bogus'],
    [['scan', '--age-min', 'abc'], 'proc-watchdog scan: --age-min: not a number: "abc"'],
    [['scan', '--age-min', '-5'], 'proc-watchdog scan: --age-min: must be ≥ 0 (got "-5")'],
    [['scan', '--age-min'], 'proc-watchdog scan: --age-min needs a value'],
    [
      ['scan', '--proc-root', '/nonexistent-proc-root'],
      'proc-watchdog scan: cannot read /nonexistent-proc-root: ENOENT',
    ],
    [
      ['scan', '--env-file', '/nonexistent.env'],
      'proc-watchdog scan: --env-file: cannot read /nonexistent.env: ENOENT',
    ],
    [['watch', '--interval', '0'], 'proc-watchdog watch: --interval: must be ≥ 1 (got "0")'],
    [
      ['watch', '--proc-root', '/nonexistent-proc-root'],
      'proc-watchdog watch: cannot read /nonexistent-proc-root: ENOENT',
    ],
    [
      ['bench', '--runs', '2.5'],
      'proc-watchdog bench: --runs: must be a whole number from 1 to 10000 (got "2.5")',
    ],
    [['frob'], 'proc-watchdog: unknown command "frob" (try --help)'],
    [['help', 'frob'], 'proc-watchdog help: unknown command "frob"'],
  ])('%j', async (argv, line) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(2);
    expect(io.err).toEqual([line]);
    expect(io.out).toEqual([]);
  });
});

describe('help', () => {
  it.each([
    [['--help']],
    [['help']],
    [['scan', '--help']],
    [['watch', '-h']],
    [['bench', '--help']],
    [['kill', '--help']],
    [['help', 'watch']],
  ])('%j prints usage and exits 0', async (argv) => {
    const io = memoryIo();
    expect(await main(argv, io)).toBe(0);
    expect(io.out[0]).toMatch(/^usage: proc-watchdog/);
    expect(io.err).toEqual([]);
  });
});

function fakeSample(pid: number, ageSeconds: number): ProcessSample {
  return makeSample({ pid, starttime: 7, state: 'R', argv: ['pytest', 'tests'], ageSeconds });
}

describe('watch', () => {
  it('prints FIRE lines from the first scan and stops when told', async () => {
    const io = memoryIo();
    const result: ScanResult = {
      ok: true,
      uptimeSeconds: 5000,
      samples: [fakeSample(31, 4000), fakeSample(32, 10)],
      stats: { processes: 3, matched: 2, vanished: 0, denied: 0, malformed: 0, durationMs: 1 },
    };
    let scans = 0;
    const code = await watchCommand(['--interval', '1'], io, {
      scan: () => {
        scans++;
        return Promise.resolve(result);
      },
      now: () => new Date('2026-01-02T03:04:05.678Z'),
      stopSignal: new Promise((r) => setTimeout(r, 100)),
    });
    expect(code).toBe(0);
    expect(scans).toBe(1); // the fail-fast check is the first tick, not an extra scan
    expect(io.out).toEqual([
      '2026-01-02T03:04:05Z FIRE 31:7 pytest tests (PID 31) has run for 1h 6m and is orphaned onto tini (PID 1). Whatever launched it is gone, so nobody is waiting for its result: kill it unless you started it by hand.',
    ]);
    expect(io.err.at(-2)).toBe('2026-01-02T03:04:05Z 2 matched, 1 blocking');
    expect(io.err.at(-1)).toBe('stopped');
  });

  it('says once, on stderr, that runs which ended on their own outlast --age-min, and what to use', async () => {
    const io = memoryIo();
    const healthy = makeSample({
      pid: 41,
      starttime: 9,
      argv: ['pytest', 'tests'],
      ageSeconds: 3000,
      orphaned: false,
      parent: { pid: 7, comm: 'bash' },
    });
    const scans: ProcessSample[][] = [[healthy], [], []];
    const code = await watchCommand(['--interval', '1', '--age-min', '1'], io, {
      scan: () =>
        Promise.resolve({
          ok: true,
          uptimeSeconds: 5000,
          samples: scans.shift() ?? [],
          stats: { processes: 3, matched: 1, vanished: 0, denied: 0, malformed: 0, durationMs: 1 },
        }),
      now: () => new Date('2026-01-02T03:04:05.678Z'),
      stopSignal: new Promise((r) => setTimeout(r, 2500)),
    });
    expect(code).toBe(0);
    expect(scans).toEqual([]); // three ticks: seen, gone, gone again
    expect(io.err.filter((l) => l.includes('consider'))).toEqual([
      '2026-01-02T03:04:05Z runs here that ended on their own took up to 50m, longer than --age-min 1: consider --age-min 65',
    ]);
  });

  it('recovery lines say why and for how long it ran', () => {
    expect(
      eventLine(
        {
          type: 'recovery',
          key: '9:1',
          pid: 9,
          starttime: 1,
          reason: 'killed',
          ranSeconds: 7260,
          command: 'pytest -x',
        },
        [],
        { ageMinutes: 60, orphansOnly: false },
      ),
    ).toBe('RECOVERY 9:1 pytest -x was killed from here after 2h 1m');
  });
});

describe('bench', () => {
  // Shaped like the reader's BenchResult, including the CPU figures it is gaining.
  const fake: BenchFn = (o) =>
    Promise.resolve({
      processes: 10,
      runs: o.runs,
      coldMs: 5,
      scanMs: { median: 1.25, p95: 2 },
      maxBlockMs: 0.5,
      maxBlockCpuMs: 0.25,
      rssGrowthMb: 0,
      matched: 1,
      cpuMs: { cold: 4, median: 1, p95: 1.5 },
    } as Awaited<ReturnType<BenchFn>>);

  it('summarises or prints JSON, passing --runs and --proc-root through', async () => {
    const io = memoryIo();
    let seen: unknown;
    expect(
      await benchCommand(['--runs', '3', '--proc-root', '/x'], io, (o) => {
        seen = o;
        return fake(o);
      }),
    ).toBe(0);
    expect(seen).toEqual({ runs: 3, procRoot: '/x' });
    expect(io.out).toContain('scan (3 runs) median 1.3 ms, p95 2.0 ms');
    expect(io.out).toContain('scan CPU       cold 4.0 ms, median 1.0 ms, p95 1.5 ms');
    const json = memoryIo();
    await benchCommand(['--json', '--runs', '2'], json, fake);
    expect(JSON.parse(json.out[0] ?? '')).toMatchObject({ runs: 2, processes: 10 });
  });

  it('a failing bench is one line and exit 2', async () => {
    const io = memoryIo();
    expect(await benchCommand([], io, () => Promise.reject(new Error('cannot read /nope: ENOENT')))).toBe(2);
    expect(io.err).toEqual(['proc-watchdog bench: cannot read /nope: ENOENT']);
  });
});

// The bundled bin, built privately (dist/ is shared with colleagues building at the same time).
describe('bundled bin (esbuild of src/cli.ts, like dist/cli.js)', () => {
  const out = resolve('test-output/cli-test/cli.js');
  beforeAll(async () => {
    await bundleCli(out);
  }, 60_000);

  it('scan --json on the real /proc finds this very bin running', () => {
    const r = spawnSync(process.execPath, [out, 'scan', '--json', '--pattern', 'node', '--age-min', '0'], {
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout) as Json;
    const me = json.processes.find((p) => p.pid === r.pid);
    expect(me?.argv.slice(1)).toEqual([out, 'scan', '--json', '--pattern', 'node', '--age-min', '0']);
    expect(json.signals.find((s) => s.pid === r.pid)?.active).toBe(true);
    expect(json.stats.processes).toBeGreaterThan(1);
  });

  it('bad arguments: exit 2 and a single stderr line, no stack trace', () => {
    const r = spawnSync(process.execPath, [out, 'scan', '--age-min', 'soon'], { encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('proc-watchdog scan: --age-min: not a number: "soon"\n');
  });

  it('watch stops cleanly on SIGINT and SIGTERM (exit 0)', async () => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      const child = spawn(process.execPath, [out, 'watch', '--proc-root', FIXTURE, '--interval', '1']);
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
      try {
        await new Promise<void>((r) =>
          child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
            if (stderr.includes('blocking')) r();
          }),
        );
        child.kill(signal);
        expect(await exited).toBe(0);
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }
      expect(stderr).toContain('stopped');
      expect(stdout).toContain('FIRE 200:100000');
    }
  });
});
