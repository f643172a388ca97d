// Large fake /proc trees for scale tests: N processes (a few percent of them pytest runs, some
// orphaned onto tini), and churn (processes exit and new ones start between ticks). Generated
// into a scratch folder (/dev/shm, /tmp or .cache), never committed.
import { mkdirSync, rmSync } from 'node:fs';
import { removeFakeProcess, writeFakeProcess, writeUptime } from './fakeProcTree';
import type { FakeProcess } from './fakeProcTree';

export interface FakeTreeOptions {
  readonly count: number;
  /** One process in `matchEvery` runs pytest; default 20 (5 %). */
  readonly matchEvery?: number;
  readonly uptimeSeconds?: number;
}

const TINI: FakeProcess = {
  pid: 1,
  ppid: 0,
  comm: 'tini',
  argv: ['tini', '--', 'orchestrator'],
  starttime: 1,
};
const FIRST_PID = 100;

/** A growing fake tree: `live` pids, new ones always above every pid used so far. */
export class FakeTree {
  readonly live: number[] = [];
  private nextPid = FIRST_PID;
  private uptimeSeconds: number;
  private readonly matchEvery: number;

  constructor(
    readonly root: string,
    options: FakeTreeOptions,
  ) {
    this.uptimeSeconds = options.uptimeSeconds ?? 100_000;
    this.matchEvery = options.matchEvery ?? 20;
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    writeUptime(root, this.uptimeSeconds);
    writeFakeProcess(root, TINI);
    for (let i = 0; i < options.count; i++) this.spawn();
  }

  /** `n` of the oldest live processes exit and `n` new ones start; the boot clock advances. */
  churn(n: number, advanceSeconds = 1): void {
    for (const pid of this.live.splice(0, Math.min(n, this.live.length))) removeFakeProcess(this.root, pid);
    this.uptimeSeconds += advanceSeconds;
    writeUptime(this.root, this.uptimeSeconds);
    for (let i = 0; i < n; i++) this.spawn();
  }

  private spawn(): void {
    const pid = this.nextPid++;
    const matching = pid % this.matchEvery === 0;
    // Ages spread over the last ~3 h so some matches block (> 60 min) and some do not.
    const ageSeconds = (pid * 37) % 10_800;
    const starttime = Math.max(1, Math.round((this.uptimeSeconds - ageSeconds) * 100));
    writeFakeProcess(this.root, {
      pid,
      ppid: pid % 3 === 0 ? 1 : FIRST_PID,
      comm: matching ? 'pytest' : 'python3',
      argv: matching
        ? ['/venv/bin/python', '-m', 'pytest', '-x', `tests/test_${pid}.py`]
        : ['/usr/bin/python3', '-m', 'http.server', String(8000 + (pid % 1000))],
      starttime,
    });
    this.live.push(pid);
  }
}
