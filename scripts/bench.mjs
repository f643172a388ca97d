// `npm run bench`: the reader against a minimal C scanner, on ~2,000 real sleeping processes.
// Spawns the sleepers (70 of them named "pytest") in their own process group, compiles
// scripts/cfloor.c into .cache/bench, runs the C floor and `node dist/cli.js bench --json`
// alternately, prints a table with PASS/FAIL against the limits, and kills the group.
// It reports; it is not a test: the exit code is 0 unless something could not run.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = join(root, '.cache', 'bench');
const TARGET_PROCESSES = Number(process.env.BENCH_PROCESSES ?? 2000);
const PYTEST_SLEEPERS = 70;
const ROUNDS = 3; // C floor and Node alternate, so both see the same load
const C_RUNS = 10;
const NODE_RUNS = 20;
const LIMITS = { cold: 1.5, steady: 1.0, blockMs: 5 };

const countProcesses = () => readdirSync('/proc').filter((n) => /^\d+$/.test(n)).length;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function spawnSleepers(count) {
  const plain = Math.max(0, count - PYTEST_SLEEPERS);
  // One bash forks them all; `exec -a pytest` makes argv[0] "pytest" without Python.
  const script = `for ((i=0;i<${PYTEST_SLEEPERS};i++)); do (exec -a pytest sleep 600) & done
for ((i=0;i<${plain};i++)); do sleep 600 & done
wait`;
  const child = spawn('bash', ['-c', script], { detached: true, stdio: 'ignore' });
  return child;
}

function killGroup(child) {
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

async function main() {
  mkdirSync(cacheDir, { recursive: true });
  const cfloor = join(cacheDir, 'cfloor');
  execFileSync('cc', ['-O2', '-o', cfloor, join(root, 'scripts', 'cfloor.c')], { stdio: 'inherit' });

  const before = countProcesses();
  const wanted = Math.max(0, TARGET_PROCESSES - before);
  const group = spawnSleepers(wanted);
  const cleanup = () => killGroup(group);
  process.on('exit', cleanup);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));
  try {
    const deadline = Date.now() + 30_000;
    while (countProcesses() < before + wanted && Date.now() < deadline) await sleep(200);
    await sleep(500); // let the last forks settle into sleep

    const floorRuns = [];
    const nodeRuns = [];
    for (let round = 0; round < ROUNDS; round++) {
      const c = JSON.parse(execFileSync(cfloor, ['/proc', String(C_RUNS), 'pytest'], { encoding: 'utf8' }));
      floorRuns.push(...c.runsMs.slice(1)); // first run warms dentries; the floor is the steady one
      const out = execFileSync(
        process.execPath,
        [
          process.env.BENCH_CLI ?? join(root, 'dist', 'cli.js'),
          'bench',
          '--json',
          '--runs',
          String(NODE_RUNS),
        ],
        {
          encoding: 'utf8',
        },
      );
      nodeRuns.push(JSON.parse(out));
    }
    report(floorRuns, nodeRuns);
  } finally {
    cleanup();
  }
}

function report(floorRuns, nodeRuns) {
  const floorMs = median(floorRuns);
  const coldMs = median(nodeRuns.map((r) => r.coldMs));
  const steadyMs = median(nodeRuns.map((r) => r.scanMs.median));
  const p95Ms = median(nodeRuns.map((r) => r.scanMs.p95));
  const blockMs = Math.max(...nodeRuns.map((r) => r.maxBlockMs));
  const rssMb = Math.max(...nodeRuns.map((r) => r.rssGrowthMb));
  const last = nodeRuns[nodeRuns.length - 1];
  const verdict = (ok) => (ok ? 'PASS' : 'FAIL');
  const rows = [
    ['processes scanned', `${last.processes} (${last.matched} matched "pytest")`, ''],
    ['C floor (readdir + cmdline)', `${floorMs.toFixed(2)} ms`, `median of ${floorRuns.length}`],
    [
      'node cold scan',
      `${coldMs.toFixed(2)} ms  = ${(coldMs / floorMs).toFixed(2)}× C`,
      `${verdict(coldMs / floorMs <= LIMITS.cold)} (≤ ${LIMITS.cold}×)`,
    ],
    [
      'node steady scan (median)',
      `${steadyMs.toFixed(2)} ms  = ${(steadyMs / floorMs).toFixed(2)}× C`,
      `${verdict(steadyMs / floorMs <= LIMITS.steady)} (≤ ${LIMITS.steady}×)`,
    ],
    ['node steady scan (p95)', `${p95Ms.toFixed(2)} ms  = ${(p95Ms / floorMs).toFixed(2)}× C`, 'info'],
    [
      'longest event-loop block',
      `${blockMs.toFixed(2)} ms`,
      `${verdict(blockMs <= LIMITS.blockMs)} (≤ ${LIMITS.blockMs} ms)`,
    ],
    ['RSS growth over steady runs', `${rssMb.toFixed(1)} MB`, 'info'],
  ];
  const w0 = Math.max(...rows.map((r) => r[0].length));
  const w1 = Math.max(...rows.map((r) => r[1].length));
  console.log(
    `\nProc Watchdog bench: ${ROUNDS} rounds × (C ${C_RUNS} runs, node 1 cold + ${NODE_RUNS} steady)`,
  );
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(w0)}  ${b.padEnd(w1)}  ${c}`);
}

main().catch((error) => {
  console.error(`bench: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
