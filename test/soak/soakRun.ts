// Scale/soak run of the real reader + Monitor over a churning fake /proc tree. Bundled and run
// in a child `node --expose-gc` by test/soak/soak.mjs (npm run soak) and test/unit/proc/scale.test.ts; prints one JSON
// line with the figures. Measures, per tick:
//  - event-loop block during the scan: gaps between setImmediate pings, as wall time and as the
//    main thread's on-CPU time (/proc/thread-self/schedstat, ns). On a shared, loaded machine the
//    wall gap also contains time the OS ran other processes; the on-CPU figure is what the scan
//    itself costs the loop;
//  - overlap: scans in flight at once (extra scanNow() calls are fired to provoke it);
//  - heap after a forced GC at the baseline tick and after the last tick; open fds.
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { ProcScanner } from '../../src/proc/reader';
import { DEFAULT_CONFIG } from '../../src/watchdog/config';
import { createMatcher } from '../../src/watchdog/match';
import { Monitor, nodeTimers } from '../../src/watchdog/monitor';
import { FakeTree } from '../helpers/fakeProcTree';

interface SoakOptions {
  root: string;
  count: number;
  ticks: number;
  churn: number;
  baselineTick: number;
  intervalMs: number;
}

function parseOptions(argv: string[]): SoakOptions {
  const get = (name: string, fallback: number): number => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? Number(argv[i + 1]) : fallback;
  };
  const rootIndex = argv.indexOf('--root');
  return {
    // tmpfs when there is one: 40,000 small files; the tree is removed at the end.
    root:
      rootIndex >= 0
        ? argv[rootIndex + 1]!
        : join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `pw-soak-${process.pid}`),
    count: get('count', 10_000),
    ticks: get('ticks', 1000),
    churn: get('churn', 100),
    baselineTick: get('baseline-tick', 100),
    intervalMs: get('interval-ms', 10),
  };
}

const threadCpuNs = (): number => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
const openFds = (): number => readdirSync('/proc/self/fd').length;

function heapAfterGc(): number {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('run with --expose-gc');
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2));
  const genStart = performance.now();
  const tree = new FakeTree(o.root, { count: o.count });
  const generateMs = performance.now() - genStart;
  const fdsBaseline = openFds();
  const scanner = new ProcScanner({ procRoot: o.root });
  const matcher = createMatcher(['pytest']);

  let inFlight = 0;
  let maxInFlight = 0;
  let pinging = false;
  let lastPingWall = 0;
  let lastPingCpu = 0;
  let sliceIndex = 0;
  // Every gap between two pings during a scan: start/end wall ms, main-thread CPU ms, and
  // whether it is the scan's first slice (the readdir of the whole proc root happens there).
  // Preallocated typed arrays (off the JS heap) so the measurement does not itself grow the heap.
  const capacity = o.ticks * 1000;
  const gapStart = new Float64Array(capacity);
  const gapEnd = new Float64Array(capacity);
  const gapCpuMs = new Float64Array(capacity);
  const gapFirst = new Uint8Array(capacity);
  let gapCount = 0;
  // GC pauses (wall ms) as V8 reports them, to tell collector pauses from the scan's own work.
  const gcStart = new Float64Array(o.ticks * 200);
  const gcEnd = new Float64Array(o.ticks * 200);
  let gcCount = 0;
  const gcObserver = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      if (gcCount >= gcStart.length) break;
      gcStart[gcCount] = e.startTime;
      gcEnd[gcCount++] = e.startTime + e.duration;
    }
  });
  gcObserver.observe({ entryTypes: ['gc'] });
  const ping = (): void => {
    if (!pinging) return;
    const wall = performance.now();
    const cpu = threadCpuNs();
    if (gapCount < capacity) {
      gapStart[gapCount] = lastPingWall;
      gapEnd[gapCount] = wall;
      gapCpuMs[gapCount] = (cpu - lastPingCpu) / 1e6;
      gapFirst[gapCount++] = sliceIndex === 0 ? 1 : 0;
    }
    sliceIndex++;
    lastPingWall = wall;
    lastPingCpu = cpu;
    setImmediate(ping);
  };
  const scanMs = new Float64Array(o.ticks * 4);
  let scanCount = 0;
  const scan = async (): ReturnType<ProcScanner['scan']> => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    pinging = true;
    sliceIndex = 0;
    lastPingWall = performance.now();
    lastPingCpu = threadCpuNs();
    setImmediate(ping);
    const started = performance.now();
    try {
      return await scanner.scan(matcher, DEFAULT_CONFIG.reapers);
    } finally {
      if (scanCount < scanMs.length) scanMs[scanCount++] = performance.now() - started;
      pinging = false;
      inFlight--;
    }
  };

  let ticks = 0;
  let betweenTicks = false; // churn pending: no extra scan may start before it ran
  let failedScans = 0;
  let heapBaselineBytes = 0;
  let heapFinalBytes = 0;
  let maxFds = 0;
  let matchedLast = 0;
  const done = new Promise<void>((resolve) => {
    const monitor = new Monitor({
      scan,
      timers: nodeTimers,
      onTick: (tick) => {
        ticks++;
        if (!tick.scan.ok) failedScans++;
        matchedLast = tick.scan.stats.matched;
        // Churn and measurements run in a timer after the tick, outside any scan window.
        betweenTicks = true;
        setTimeout(() => {
          betweenTicks = false;
          maxFds = Math.max(maxFds, openFds());
          if (ticks === o.baselineTick) heapBaselineBytes = heapAfterGc();
          if (ticks >= o.ticks) {
            clearInterval(provoke);
            monitor.dispose();
            heapFinalBytes = heapAfterGc();
            resolve();
            return;
          }
          tree.churn(o.churn);
        }, 0);
      },
    });
    monitor.start({
      ...DEFAULT_CONFIG,
      procRoot: o.root,
      intervalSeconds: o.intervalMs / 1000,
      ageMinutes: 60,
    });
    // Extra "scan now" requests at random moments: they must join a running scan, never overlap.
    const provoke = setInterval(() => {
      if (!betweenTicks) void monitor.scanNow();
    }, 7);
  });
  const runStart = performance.now();
  await done;
  const runMs = performance.now() - runStart;
  pinging = false;
  await new Promise((r) => setTimeout(r, 50)); // let the last gc entries arrive
  gcObserver.disconnect();
  scanner.dispose();
  rmSync(o.root, { recursive: true, force: true });

  // Both lists are in time order: one sweep attributes GC time to the gaps it overlaps.
  const sliceWallMs: number[] = [];
  const sliceCpuMs: number[] = [];
  const sliceCpuExGcMs: number[] = [];
  const firstCpuExGcMs: number[] = [];
  const laterCpuExGcMs: number[] = [];
  let g0 = 0;
  for (let i = 0; i < gapCount; i++) {
    const start = gapStart[i]!;
    const end = gapEnd[i]!;
    while (g0 < gcCount && gcEnd[g0]! <= start) g0++;
    let gcMs = 0;
    for (let j = g0; j < gcCount && gcStart[j]! < end; j++)
      gcMs += Math.max(0, Math.min(end, gcEnd[j]!) - Math.max(start, gcStart[j]!));
    const exGc = Math.max(0, gapCpuMs[i]! - gcMs);
    sliceWallMs.push(end - start);
    sliceCpuMs.push(gapCpuMs[i]!);
    sliceCpuExGcMs.push(exGc);
    (gapFirst[i] === 1 ? firstCpuExGcMs : laterCpuExGcMs).push(exGc);
  }
  const gcPauseMs: number[] = [];
  for (let j = 0; j < gcCount; j++) gcPauseMs.push(gcEnd[j]! - gcStart[j]!);
  const sorted = (xs: number[]): number[] => [...xs].sort((a, b) => a - b);
  const max = (xs: number[]): number => Number(xs.reduce((m, x) => Math.max(m, x), 0).toFixed(2));
  const pct = (xs: number[], p: number): number =>
    sorted(xs)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? 0;
  const result = {
    count: o.count,
    ticks,
    churnPerTick: o.churn,
    failedScans,
    generateMs: Math.round(generateMs),
    runMs: Math.round(runMs),
    scanMsMedian: Number(pct(Array.from(scanMs.subarray(0, scanCount)), 0.5).toFixed(1)),
    matchedLast,
    maxInFlight,
    slices: gapCount,
    sliceCpuMsMax: max(sliceCpuMs),
    sliceCpuMsP99: Number(pct(sliceCpuMs, 0.99).toFixed(2)),
    sliceCpuExGcMsMax: max(sliceCpuExGcMs),
    sliceCpuExGcMsP99: Number(pct(sliceCpuExGcMs, 0.99).toFixed(2)),
    firstSliceCpuExGcMsMax: max(firstCpuExGcMs),
    firstSliceCpuExGcMsMedian: Number(pct(firstCpuExGcMs, 0.5).toFixed(2)),
    laterSliceCpuExGcMsMax: max(laterCpuExGcMs),
    laterSliceCpuExGcMsP99: Number(pct(laterCpuExGcMs, 0.99).toFixed(2)),
    gcPauseMsMax: max(gcPauseMs),
    sliceWallMsMax: max(sliceWallMs),
    sliceWallMsP99: Number(pct(sliceWallMs, 0.99).toFixed(2)),
    heapBaselineTick: o.baselineTick,
    heapBaselineMb: Number((heapBaselineBytes / 1e6).toFixed(2)),
    heapFinalMb: Number((heapFinalBytes / 1e6).toFixed(2)),
    heapGrowthPct: Number((((heapFinalBytes - heapBaselineBytes) / heapBaselineBytes) * 100).toFixed(2)),
    fdsBaseline,
    maxFds,
    fdsAfterDispose: openFds(),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
