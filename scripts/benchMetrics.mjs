// The exporter under load (issue 10): `proc-watchdog metrics --listen` with ~2,000 processes
// (70 of them "pytest", all blocking with --age-min 0), scanning every second, scraped 100
// times a second for 10 s (open loop: a request every 10 ms whatever the answers do; half ask
// for OpenMetrics). Prints latency percentiles, errors, RSS before and after, and the scans seen
// in its --verbose log: how many ran during the load, and whether any two overlapped.
// Run by `npm run bench` after the reader's bench (same sleepers), or alone after `npm run build`
// (then it spawns its own). It reports; it is not a test: exit 0 unless something could not run.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { cleanEnv } from './realhost/cleanEnv.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGET_PROCESSES = Number(process.env.BENCH_PROCESSES ?? 2000);
const PYTEST_SLEEPERS = 70;
const RATE_PER_SECOND = 100;
const LOAD_SECONDS = Number(process.env.BENCH_METRICS_SECONDS ?? 10);
const WARMUP_SECONDS = 3;
const OM_ACCEPT = 'application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';

/** @typedef {{ ms: number, ok: boolean, error: string | null }} Scrape */

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const countProcesses = () => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
/** @param {number | undefined} pid */
const rssMb = (pid) => {
  const m = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
};
/** @type {(sorted: readonly number[], p: number) => number} NaN for an empty list */
const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

/** @param {number} count */
function spawnSleepers(count) {
  const pytest = Math.min(PYTEST_SLEEPERS, count);
  const script = `for ((i=0;i<${pytest};i++)); do (exec -a pytest sleep 600) & done
for ((i=0;i<${count - pytest};i++)); do sleep 600 & done
wait`;
  return spawn('bash', ['-c', script], { detached: true, stdio: 'ignore', env: cleanEnv() });
}

/** @param {import('node:child_process').ChildProcess} child */
function killGroup(child) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * @param {Agent} agent
 * @param {number} port
 * @param {boolean} openMetrics
 * @returns {Promise<Scrape>}
 */
function scrape(agent, port, openMetrics) {
  return new Promise((resolve) => {
    const started = performance.now();
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/metrics',
        agent,
        headers: openMetrics ? { accept: OM_ACCEPT } : {},
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (/** @type {string} */ c) => (body += c));
        res.on('end', () => {
          const ok =
            res.statusCode === 200 &&
            body.includes('proc_watchdog_build_info') &&
            body.endsWith('# EOF\n') === openMetrics;
          resolve({ ms: performance.now() - started, ok, error: ok ? null : `HTTP ${res.statusCode}` });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ ms: performance.now() - started, ok: false, error: err.message }));
    req.end();
  });
}

/**
 * `scan start=ISO end=ISO …` lines of the exporter's --verbose log.
 * @param {string} log
 */
function scansIn(log) {
  return [...log.matchAll(/^scan start=(\S+) end=(\S+) ([\d.]+) ms: (.*)$/gm)].map((m) => ({
    start: Date.parse(m[1] ?? ''),
    end: Date.parse(m[2] ?? ''),
    ms: Number(m[3]),
    what: m[4] ?? '',
  }));
}

export async function benchMetrics() {
  const cli = process.env.BENCH_CLI ?? join(root, 'dist', 'cli.js');
  const before = countProcesses();
  const wanted = Math.max(0, TARGET_PROCESSES - before);
  const sleepers = wanted > 0 ? spawnSleepers(wanted) : null;
  const exporter = spawn(
    process.execPath,
    [cli, 'metrics', '--listen', '127.0.0.1:0', '--interval', '1', '--age-min', '0', '--verbose'],
    // Its options decide, not a WATCHDOG_PROC_* this shell happens to export.
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: Object.fromEntries(Object.entries(cleanEnv()).filter(([k]) => !k.startsWith('WATCHDOG_PROC_'))),
    },
  );
  let log = '';
  exporter.stderr.setEncoding('utf8');
  exporter.stderr.on('data', (/** @type {string} */ c) => (log += c));
  const cleanup = () => {
    exporter.kill('SIGKILL');
    if (sleepers) killGroup(sleepers);
  };
  process.on('exit', cleanup);
  try {
    if (sleepers) {
      const deadline = Date.now() + 45_000;
      while (countProcesses() < 0.98 * (before + wanted) && Date.now() < deadline) await sleep(200);
    }
    /** @type {string | null} */
    let port = null;
    for (let i = 0; i < 200 && port === null; i++) {
      port = /serving http:\/\/127\.0\.0\.1:(\d+)\/metrics/.exec(log)?.[1] ?? null;
      if (port === null) await sleep(50);
    }
    if (port === null) throw new Error(`the exporter did not start:\n${log}`);
    const agent = new Agent({ keepAlive: true, maxSockets: 16 });

    // Warm-up: scans and renders JIT-compiled, sockets open.
    for (let i = 0; i < WARMUP_SECONDS * 10; i++) {
      await scrape(agent, Number(port), i % 2 === 1);
      await sleep(100);
    }
    const rssBefore = rssMb(exporter.pid);
    const t0 = Date.now();
    const start = performance.now();
    const total = RATE_PER_SECOND * LOAD_SECONDS;
    /** @type {Promise<Scrape>[]} */
    const pending = [];
    /** @type {number[]} */
    const rssSamples = [];
    const sampler = setInterval(() => rssSamples.push(rssMb(exporter.pid)), 1000);
    for (let i = 0; i < total; i++) {
      const due = start + (i * 1000) / RATE_PER_SECOND;
      const wait = due - performance.now();
      if (wait > 1) await sleep(wait);
      pending.push(scrape(agent, Number(port), i % 2 === 1));
    }
    const results = await Promise.all(pending);
    clearInterval(sampler);
    const elapsedS = (performance.now() - start) / 1000;
    const t1 = Date.now();
    const rssAfter = rssMb(exporter.pid);
    await sleep(2000);
    const rssSettled = rssMb(exporter.pid);
    agent.destroy();

    const latencies = results.map((r) => r.ms).sort((a, b) => a - b);
    const errors = results.filter((r) => !r.ok);
    const scans = scansIn(log);
    const during = scans.filter((s) => s.end >= t0 && s.start <= t1);
    let overlaps = 0;
    for (const [i, scan] of scans.entries()) if (i > 0 && scan.start < (scans[i - 1]?.end ?? 0)) overlaps++;
    const scanMs = during.map((s) => s.ms).sort((a, b) => a - b);
    const blocking = /proc_watchdog_blocking_processes (\d+)/.exec(
      await new Promise((/** @type {(body: string) => void} */ resolve) => {
        request({ host: '127.0.0.1', port: Number(port), path: '/metrics' }, (res) => {
          let body = '';
          res.on('data', (/** @type {Buffer} */ c) => (body += c.toString()));
          res.on('end', () => resolve(body));
        }).end();
      }),
    )?.[1];

    const f = (/** @type {number} */ n) => n.toFixed(1);
    console.log(
      `\nExporter load: ${countProcesses()} processes, ${blocking ?? '?'} blocking series; ` +
        `${total} scrapes in ${f(elapsedS)} s (${f(total / elapsedS)}/s, half OpenMetrics), scans every 1 s; ` +
        `load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
    );
    /** @type {[string, string][]} */
    const rows = [
      [
        'scrape latency',
        `p50 ${f(percentile(latencies, 50))} ms, p99 ${f(percentile(latencies, 99))} ms, max ${f(latencies[latencies.length - 1] ?? NaN)} ms`,
      ],
      ['errors', `${errors.length}${errors[0] ? ` (first: ${errors[0].error ?? '?'})` : ''}`],
      [
        'exporter RSS',
        `${f(rssBefore)} MB before, ${f(rssAfter)} MB after, ${f(rssSettled)} MB 2 s later ` +
          `(${rssAfter - rssBefore >= 0 ? '+' : ''}${f(rssAfter - rssBefore)} MB); each second: ` +
          rssSamples.map((r) => r.toFixed(0)).join(' '),
      ],
      [
        'scans during the load',
        `${during.length} (one per interval, not per scrape: ${f(total / Math.max(1, during.length))} scrapes per scan); ` +
          `scan median ${f(percentile(scanMs, 50))} ms, max ${f(scanMs[scanMs.length - 1] ?? NaN)} ms`,
      ],
      [
        'overlapping scans',
        `${overlaps} of ${scans.length} logged (a scan starts only after the previous one ended)`,
      ],
    ];
    const width = Math.max(...rows.map((r) => r[0].length));
    for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  } finally {
    cleanup();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  benchMetrics().catch((error) => {
    console.error(
      `bench (metrics): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    process.exitCode = 1;
  });
}
