// The kill sequence (src/proc/killFlow.ts), the one engine of the editor and the CLI, on fake
// /proc trees with a recording signal function: what the question is offered, exactly what each
// choice signals, and that the SIGKILL step signals only survivors, each re-verified.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createKillEnv } from '../../../src/proc/kill';
import type { KillSignal, KillTarget, TargetOutcome } from '../../../src/proc/kill';
import { createKillBackend, deniedCommands, runKill, summarize } from '../../../src/proc/killFlow';
import type { KillFlowOptions, KillPlan, KillResult, KillRun, KillScope } from '../../../src/proc/killFlow';
import { createMatcher } from '../../../src/watchdog/match';
import { removeFakeProcess, writeFakeProcess } from '../../helpers/fakeProcTree';
import type { FakeProcess } from '../../helpers/fakeProcTree';
import { xdistRun } from '../../helpers/xdistRun';

const INIT: FakeProcess = { pid: 1, ppid: 0, comm: 'tini', argv: ['tini', '--', 'sh'], starttime: 1 };
const RUN = xdistRun(
  { pid: 400, ppid: 1, comm: 'pytest', argv: ['pytest', '-n', '2'], starttime: 5000 },
  { workers: [410, 411], fixture: 420 },
);
const {
  root: ROOT,
  workers: [W1, W2],
} = RUN;
const OTHER: FakeProcess = { pid: 500, ppid: 1, comm: 'pytest', argv: ['pytest'], starttime: 6000 };
const t = (p: FakeProcess): KillTarget => ({ pid: p.pid, starttime: p.starttime, argv: p.argv });

let root: string;
let sent: Array<[number, KillSignal]>;
let onSignal: (pid: number, sig: KillSignal) => void;
let killed: string[];
let reports: Array<{ result: KillResult; signal: KillSignal }>;
let plans: KillPlan[];

function options(answer: KillScope | undefined, sigkill = true): KillFlowOptions {
  return {
    backend: createKillBackend(
      createKillEnv({
        procRoot: root,
        matcher: createMatcher(['pytest']),
        protectedPids: async () => new Set([1]),
        signal: (pid, sig) => {
          sent.push([pid, sig]);
          onSignal(pid, sig);
        },
      }),
      0,
    ),
    ui: {
      confirm: async (asked) => {
        plans.push(...asked);
        return answer;
      },
      confirmSigkill: async () => sigkill,
      report: (result, signal) => void reports.push({ result, signal }),
    },
    onKilled: (key) => void killed.push(key),
    escalate: false,
  };
}

/** The first signal's result of a run that was not cancelled. */
const first = (run: KillRun | 'cancelled'): KillResult => {
  if (run === 'cancelled') throw new Error('cancelled');
  return run.result;
};

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pw-killflow-'));
  for (const p of [INIT, ...RUN.all, OTHER]) writeFakeProcess(root, p);
  sent = [];
  killed = [];
  reports = [];
  plans = [];
  onSignal = () => undefined;
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('runKill', () => {
  it('offers the descendants listed before asking (workers and their fixture subprocess)', async () => {
    await runKill([t(ROOT)], options(undefined));
    expect(plans).toHaveLength(1);
    expect(plans[0]!.descendants.map((d) => d.pid)).toEqual([410, 411, 420]);
    expect(plans[0]!.listError).toBeNull();
  });

  it('cancel signals nothing and reports nothing', async () => {
    expect(await runKill([t(ROOT)], options(undefined))).toBe('cancelled');
    expect(sent).toEqual([]);
    expect(killed).toEqual([]);
    expect(reports).toEqual([]);
  });

  it('"Terminate (SIGTERM)" signals the process alone', async () => {
    const result = first(await runKill([t(ROOT)], options('process')));
    expect(result).toEqual({
      scope: 'process',
      target: t(ROOT),
      outcome: { kind: 'killed', signal: 'SIGTERM' },
    });
    expect(sent).toEqual([[400, 'SIGTERM']]);
    expect(killed).toEqual(['400:5000']);
    expect(reports).toHaveLength(1);
  });

  it('"with descendants" signals root first, then each descendant, in one reported result', async () => {
    const result = first(await runKill([t(ROOT)], options('tree')));
    expect(sent).toEqual([
      [400, 'SIGTERM'],
      [410, 'SIGTERM'],
      [411, 'SIGTERM'],
      [420, 'SIGTERM'],
    ]);
    expect(killed).toEqual(['400:5000', '410:5010', '411:5011', '420:5020']);
    expect(result.scope).toBe('tree');
    expect(reports).toHaveLength(1);
    expect(sent.some(([pid]) => pid === OTHER.pid)).toBe(false);
  });

  it('re-verifies each descendant right before its signal: a reused pid is left alone', async () => {
    // The first worker exits while the root is signalled and its pid goes to another program.
    onSignal = (pid) => {
      if (pid === 400) writeFakeProcess(root, { ...W1, starttime: 9999, argv: ['vim'] });
    };
    const result = first(await runKill([t(ROOT)], options('tree')));
    expect(sent.map(([pid]) => pid)).toEqual([400, 411, 420]);
    const results = result.scope === 'tree' ? result.results : [];
    expect(results.find((r) => r.target.pid === 410)?.outcome).toEqual({ kind: 'pidReused' });
    expect(killed).not.toContain('410:5010');
  });

  it('a root that is gone before the modal: no question, alreadyGone reported', async () => {
    removeFakeProcess(root, ROOT.pid);
    expect(first(await runKill([t(ROOT)], options('tree')))).toEqual({
      scope: 'process',
      target: t(ROOT),
      outcome: { kind: 'alreadyGone' },
    });
    expect(plans).toEqual([]);
    expect(sent).toEqual([]);
    expect(reports).toHaveLength(1);
  });

  it('a root whose pid was reused before the modal: no question, pidReused', async () => {
    writeFakeProcess(root, { ...ROOT, starttime: 7777 });
    const result = first(await runKill([t(ROOT)], options('tree')));
    expect(result.scope === 'process' && result.outcome).toEqual({
      kind: 'pidReused',
    });
    expect(sent).toEqual([]);
  });
});

describe('after the grace period: SIGKILL for the survivors', () => {
  const escalating = (opts: KillFlowOptions): KillFlowOptions => ({ ...opts, escalate: true });

  it('asks only about survivors and SIGKILLs each after re-verifying it', async () => {
    // SIGTERM ends the first worker and the fixture; the root and the second worker ignore it.
    onSignal = (pid, sig) => {
      if (sig === 'SIGTERM' && (pid === 410 || pid === 420)) removeFakeProcess(root, pid);
    };
    const opts = options('tree');
    let asked: readonly KillTarget[] = [];
    const ui = {
      ...opts.ui,
      confirmSigkill: async (survivors: readonly KillTarget[]) => {
        asked = survivors;
        // Between the question and the answer the second worker's pid is reused.
        writeFakeProcess(root, { ...W2, starttime: 8888 });
        sent = [];
        killed = [];
        return true;
      },
    };
    const run = await runKill([t(ROOT)], escalating({ ...opts, ui }));
    if (run === 'cancelled') throw new Error('cancelled');
    const after = await run.after;
    expect(asked.map((s) => s.pid)).toEqual([400, 411]);
    expect(sent).toEqual([[400, 'SIGKILL']]);
    expect(killed).toEqual(['400:5000']);
    const second = after.kind === 'escalated' ? after.result : null;
    const results = second?.scope === 'tree' ? second.results : [];
    expect(results.map((r) => [r.target.pid, r.outcome.kind])).toEqual([
      [400, 'killed'],
      [411, 'pidReused'],
    ]);
    expect(reports.at(-1)?.signal).toBe('SIGKILL');
  });

  it('asks nothing when everything ended within the grace period', async () => {
    onSignal = (pid) => removeFakeProcess(root, pid);
    const opts = options('tree');
    let askedTimes = 0;
    const ui = { ...opts.ui, confirmSigkill: async () => (askedTimes++, true) };
    const run = await runKill([t(ROOT)], escalating({ ...opts, ui }));
    if (run === 'cancelled') throw new Error('cancelled');
    expect(await run.after).toEqual({ kind: 'gone' });
    expect(askedTimes).toBe(0);
  });

  it('a declined SIGKILL signals nothing more', async () => {
    const run = await runKill([t(ROOT)], escalating(options('process', false)));
    if (run === 'cancelled') throw new Error('cancelled');
    expect(await run.after).toEqual({ kind: 'survivors', survivors: [t(ROOT)] });
    expect(sent).toEqual([[400, 'SIGTERM']]);
  });

  it('after a first SIGKILL nothing more is offered', async () => {
    let askedTimes = 0;
    const opts = options('process');
    const ui = { ...opts.ui, confirmSigkill: async () => (askedTimes++, true) };
    const run = await runKill([t(ROOT)], { ...escalating({ ...opts, ui }), signal: 'SIGKILL' });
    if (run === 'cancelled') throw new Error('cancelled');
    expect((await run.after).kind).toBe('survivors');
    expect(askedTimes).toBe(0);
    expect(sent).toEqual([[400, 'SIGKILL']]);
  });

  it('without escalate the grace period is not even waited for', async () => {
    const run = await runKill([t(ROOT)], options('process'));
    if (run === 'cancelled') throw new Error('cancelled');
    expect(await run.after).toEqual({ kind: 'none' });
  });
});

describe('tree summary helpers', () => {
  const r = (pid: number, outcome: TargetOutcome['outcome']): TargetOutcome => ({
    target: { pid, starttime: 1, argv: ['x'] },
    outcome,
  });
  it('counts outcomes and collects the denied commands once each', () => {
    const results = [
      r(1, { kind: 'killed', signal: 'SIGTERM' }),
      r(2, { kind: 'killed', signal: 'SIGTERM' }),
      r(3, { kind: 'denied', command: 'sudo kill -TERM 3' }),
      r(4, { kind: 'denied', command: 'sudo kill -TERM 4' }),
      r(5, { kind: 'alreadyGone' }),
      r(6, { kind: 'refused', code: 'reaper', reason: 'reaper' }),
    ];
    expect(summarize(results)).toEqual({ killed: 2, alreadyGone: 1, pidReused: 0, denied: 2, refused: 1 });
    expect(deniedCommands(results)).toEqual(['sudo kill -TERM 3', 'sudo kill -TERM 4']);
  });
});

describe('several runs at once (the multi-select in the editor)', () => {
  it('one question for every run, each run signalled root first, a nested run once', async () => {
    let asked = 0;
    const opts = options('tree');
    const ui = {
      ...opts.ui,
      confirm: async (ps: readonly KillPlan[]) => {
        asked++;
        plans.push(...ps);
        return 'tree' as const;
      },
    };
    // W1 is a descendant of ROOT: chosen too, it is signalled with ROOT's run, not twice.
    const result = first(await runKill([t(ROOT), t(OTHER), t(W1)], { ...opts, ui }));
    expect(asked).toBe(1);
    expect(plans.map((p) => p.target.pid)).toEqual([400, 500]);
    expect(sent.map(([pid]) => pid)).toEqual([400, 410, 411, 420, 500]);
    expect(result.scope).toBe('tree');
  });
});
