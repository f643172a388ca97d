// `proc-watchdog metrics` end to end in-process: the fixture proc tree, the real HTTP server on
// a free loopback port, the textfile, the options and the environment.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli';
import { memoryIo } from '../../../src/cli/io';
import { metricsCommand } from '../../../src/cli/metricsCommand';
import type { MetricsDeps } from '../../../src/cli/metricsCommand';
import type { MetricsServer } from '../../../src/cli/metricsServer';
import { procScan } from '../../../src/cli/scanCommand';
import type { ScanFn } from '../../../src/cli/scanCommand';
import { watchCommand } from '../../../src/cli/watchCommand';

const FIXTURE = resolve(__dirname, '../../fixtures/cli/proc');
const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Runs the exporter until `body` is done; returns its exit code, io and scan count. */
async function running(
  args: string[],
  body: (ctx: { server: MetricsServer | null; scans: () => number }) => Promise<void>,
  deps: Partial<MetricsDeps> = {},
) {
  const io = memoryIo();
  let scans = 0;
  const scan: ScanFn = (c) => {
    scans++;
    return procScan(c);
  };
  let stop!: () => void;
  const stopSignal = new Promise<void>((r) => (stop = r));
  let server: MetricsServer | null = null;
  let listening!: () => void;
  const ready = new Promise<void>((r) => (listening = r));
  const done = metricsCommand(['--proc-root', FIXTURE, ...args], io, {
    scan,
    stopSignal,
    environment: {},
    onListening: (s) => {
      server = s;
      listening();
    },
    ...deps,
  });
  if (args.includes('--listen')) await Promise.race([ready, done]);
  else await new Promise((r) => setTimeout(r, 200));
  try {
    await body({ server, scans: () => scans });
  } finally {
    stop();
  }
  return { code: await done, io };
}

describe('metrics: print once', () => {
  it('prints the classic format by default and OpenMetrics on request, then exits 0', async () => {
    const io = memoryIo();
    expect(await main(['metrics', '--proc-root', FIXTURE], io)).toBe(0);
    const text = io.out.join('\n');
    expect(text).toContain(
      'proc_watchdog_process_age_seconds{key="200:100000",program="pytest",orphaned="true"} 99000',
    );
    expect(text).toContain('proc_watchdog_blocking_processes 2');
    expect(text).not.toContain('# EOF');
    const om = memoryIo();
    expect(await main(['metrics', '--proc-root', FIXTURE, '--openmetrics'], om)).toBe(0);
    expect(om.out.join('\n').endsWith('# EOF')).toBe(true);
  });

  it('reads WATCHDOG_PROC_* from its environment; options win; a bad value is exit 2', async () => {
    const run = async (args: string[], environment: NodeJS.ProcessEnv) => {
      const io = memoryIo();
      const code = await metricsCommand(['--proc-root', FIXTURE, ...args], io, { environment });
      return { code, text: io.out.join('\n'), err: io.err };
    };
    expect((await run([], { WATCHDOG_PROC_AGE_MIN: '1' })).text).toContain(
      'proc_watchdog_blocking_processes 3',
    );
    expect((await run([], { WATCHDOG_PROC_AGE_MIN: '1' })).text).toContain(
      'proc_watchdog_age_threshold_seconds 60',
    );
    expect((await run(['--age-min', '600'], { WATCHDOG_PROC_AGE_MIN: '1' })).text).toContain(
      'proc_watchdog_blocking_processes 1',
    );
    expect((await run([], { WATCHDOG_PROC_PATTERNS: 'vim' })).text).toContain(
      'proc_watchdog_matched_processes 1',
    );
    const bad = await run([], { WATCHDOG_PROC_AGE_MIN: 'soon' });
    expect(bad.code).toBe(2);
    expect(bad.err).toEqual([
      'proc-watchdog metrics: environment WATCHDOG_PROC_AGE_MIN: not a number (got "soon")',
    ]);
  });

  it.each([
    [['--listen', 'nope'], '--listen: not HOST:PORT: "nope"'],
    [['--listen', '0.0.0.0:0'], 'is not a loopback address: add --allow-remote'],
    [['--alertmanager', 'ftp://x'], '--alertmanager: not http(s)'],
    [['--alert-label', 'a=b'], '--alert-label needs --alertmanager'],
    [['--json'], 'unknown option --json'],
    [['--proc-root', '/nonexistent-i10'], 'cannot read /nonexistent-i10'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const io = memoryIo();
    expect(await metricsCommand(['--proc-root', FIXTURE, ...args], io, { environment: {} })).toBe(2);
    expect(io.err).toHaveLength(1);
    expect(io.err[0]).toContain(message);
  });
});

describe('metrics --listen', () => {
  it('serves /metrics in both formats from the last scan; scrapes never scan', async () => {
    const { code, io } = await running(
      ['--listen', '127.0.0.1:0', '--interval', '60'],
      async ({ server, scans }) => {
        const base = `http://127.0.0.1:${server?.port}`;
        const classic = await fetch(`${base}/metrics`);
        expect(classic.status).toBe(200);
        expect(classic.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
        expect(await classic.text()).toContain('proc_watchdog_blocking_processes 2');
        const om = await fetch(`${base}/metrics`, {
          headers: { accept: 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5' },
        });
        expect(om.headers.get('content-type')).toBe(
          'application/openmetrics-text; version=1.0.0; charset=utf-8',
        );
        expect((await om.text()).endsWith('# EOF\n')).toBe(true);
        const before = scans();
        await Promise.all(Array.from({ length: 50 }, () => fetch(`${base}/metrics`).then((r) => r.text())));
        expect(scans()).toBe(before);
        expect((await fetch(`${base}/nope`)).status).toBe(404);
        expect((await fetch(`${base}/metrics`, { method: 'POST' })).status).toBe(405);
        const head = await fetch(`${base}/metrics`, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expect(await head.text()).toBe('');
      },
    );
    expect(code).toBe(0);
    expect(io.err[0]).toMatch(/^serving http:\/\/127\.0\.0\.1:\d+\/metrics every 60s/);
    expect(io.err[io.err.length - 1]).toBe('stopped');
  });

  it('a non-loopback address with --allow-remote serves, with a warning', async () => {
    const { code, io } = await running(['--listen', '0.0.0.0:0', '--allow-remote'], async ({ server }) => {
      expect((await fetch(`http://127.0.0.1:${server?.port}/metrics`)).status).toBe(200);
    });
    expect(code).toBe(0);
    expect(io.err[0]).toMatch(/^warning: serving on 0\.0\.0\.0, not loopback/);
  });

  it('a port in use is a clear failure (exit 1)', async () => {
    await running(['--listen', '127.0.0.1:0'], async ({ server }) => {
      const io = memoryIo();
      const code = await metricsCommand(
        ['--proc-root', FIXTURE, '--listen', `127.0.0.1:${server?.port}`],
        io,
        {
          environment: {},
        },
      );
      expect(code).toBe(1);
      expect(io.err[0]).toMatch(/cannot listen on 127\.0\.0\.1:\d+: EADDRINUSE/);
    });
  });
});

describe('metrics --textfile', () => {
  it('writes the classic format atomically after each scan, leaves no temp file, removes it on stop', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pw-textfile-'));
    temps.push(dir);
    const path = join(dir, 'proc_watchdog.prom');
    const { code } = await running(['--textfile', path, '--interval', '1'], async () => {
      for (let i = 0; i < 100 && readdirSync(dir).length === 0; i++)
        await new Promise((r) => setTimeout(r, 20));
      const text = readFileSync(path, 'utf8');
      expect(text).toContain('proc_watchdog_blocking_processes 2');
      expect(text).not.toContain('# EOF');
      expect(readdirSync(dir)).toEqual(['proc_watchdog.prom']);
    });
    expect(code).toBe(0);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('an unwritable textfile is reported once and the exporter keeps going', async () => {
    const { code, io } = await running(
      ['--textfile', '/nonexistent-i10/x.prom', '--interval', '1'],
      async () => {
        await new Promise((r) => setTimeout(r, 1300));
      },
    );
    expect(code).toBe(0);
    const problems = io.err.filter((l) => l.includes('cannot write /nonexistent-i10/x.prom: ENOENT'));
    expect(problems).toHaveLength(1);
  });
});

describe('watch --alertmanager options', () => {
  it.each([
    [['--alertmanager', 'nope'], '--alertmanager: not a URL'],
    [
      ['--alertmanager', 'http://127.0.0.1:9', '--alert-label', 'key=x'],
      'label "key" is set by the alert itself',
    ],
  ])('%j is a usage error', async (args, message) => {
    const io = memoryIo();
    expect(await watchCommand(['--proc-root', FIXTURE, ...args], io)).toBe(2);
    expect(io.err[0]).toContain(message);
  });
});
