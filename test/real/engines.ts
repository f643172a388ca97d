// The real engines for the Prometheus/Alertmanager tests (issue 10): Debian's prometheus,
// promtool and prometheus-alertmanager, started on loopback, on free ports, in their own temp
// dirs and process groups, bounded in time, and always killed (by process group) at the end.
// A missing binary fails the test with what to install: these tests never skip.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli } from '../helpers/cliBundle';

export const BIN = {
  prometheus: '/usr/bin/prometheus',
  promtool: '/usr/bin/promtool',
  alertmanager: '/usr/bin/prometheus-alertmanager',
} as const;

/** Throws (fails the test) when an engine is not installed. */
export function requireEngine(path: string): void {
  if (!existsSync(path)) {
    throw new Error(
      `${path} is missing: these tests run the real engines. Install them with ` +
        '`apt-get install -y prometheus prometheus-alertmanager` (Debian; the test setup does it).',
    );
  }
}

/** A port free right now on 127.0.0.1 (bound and released: good enough for a test). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Started {
  readonly child: ChildProcess;
  /** stdout + stderr so far (for failure messages and for lines the CLI prints). */
  output(): string;
  /** True while the process runs. */
  alive(): boolean;
  /** SIGKILL its whole process group (idempotent). */
  kill(): void;
}

const startedGroups = new Set<Started>();

/** This environment without WATCHDOG_PROC_* (the exporter reads them: the test's options decide). */
export function childEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WATCHDOG_PROC_')));
}

/** Spawns in a new process group (detached), output kept in memory (capped). */
export function start(command: string, args: readonly string[], cwd?: string): Started {
  const child = spawn(command, args, {
    cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: childEnv(),
  });
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString('utf8')).slice(-200_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));
  child.on('error', (err) => {
    exited = true;
    out += `\nspawn error: ${err.message}`;
  });
  const started: Started = {
    child,
    output: () => out,
    alive: () => !exited,
    kill: () => {
      startedGroups.delete(started);
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // gone already
      }
    },
  };
  startedGroups.add(started);
  return started;
}

/** Kills every group this file started (afterAll / afterEach). */
export function killAllStarted(): void {
  for (const s of [...startedGroups]) s.kill();
}

/** A temp dir removed by cleanup(). */
export function tempDir(prefix: string): { path: string; cleanup(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** Polls `probe` until it returns a value other than undefined, or fails with `what`. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  context: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${timeoutMs} ms waiting for ${what}${lastError ? ` (last error: ${lastError})` : ''}\n${context()}`,
  );
}

export async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return (await response.json()) as T;
}

export function startPrometheus(dir: string, port: number, config: string): Started {
  requireEngine(BIN.prometheus);
  const configPath = join(dir, 'prometheus.yml');
  writeFileSync(configPath, config);
  return start(BIN.prometheus, [
    `--config.file=${configPath}`,
    `--storage.tsdb.path=${join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ]);
}

/** Alertmanager with one do-nothing receiver, no clustering, on 127.0.0.1:port. */
export function startAlertmanager(dir: string, port: number): Started {
  requireEngine(BIN.alertmanager);
  const configPath = join(dir, 'alertmanager.yml');
  writeFileSync(
    configPath,
    [
      'route:',
      '  receiver: none',
      '  group_wait: 1s',
      '  group_interval: 1s',
      'receivers:',
      '  - name: none',
      '',
    ].join('\n'),
  );
  return start(BIN.alertmanager, [
    `--config.file=${configPath}`,
    `--storage.path=${join(dir, 'am-data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--cluster.listen-address=',
    '--log.level=warn',
  ]);
}

export async function waitReady(name: string, engine: Started, url: string): Promise<void> {
  await eventually(
    `${name} ready at ${url}`,
    async () => {
      if (!engine.alive()) throw new Error(`${name} exited:\n${engine.output()}`);
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return response.ok ? true : undefined;
    },
    30_000,
    () => engine.output(),
  );
}

/** The CLI bundled into `dir` (a private copy: dist/ may be rebuilt meanwhile). */
export async function cliBundle(dir: string): Promise<string> {
  const path = join(dir, 'cli.js');
  await bundleCli(path);
  return path;
}

/** Starts `node cli.js <args>`; for `metrics --listen …:0`, resolves the port it printed. */
export async function startExporter(
  cli: string,
  args: readonly string[],
): Promise<{ exporter: Started; port: number }> {
  const exporter = start(process.execPath, [cli, 'metrics', ...args]);
  const port = await eventually(
    'the exporter to print where it serves',
    async () => {
      if (!exporter.alive()) throw new Error(`exporter exited:\n${exporter.output()}`);
      const m = /serving http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(exporter.output());
      return m?.[1] === undefined ? undefined : Number(m[1]);
    },
    20_000,
    () => exporter.output(),
  );
  return { exporter, port };
}
