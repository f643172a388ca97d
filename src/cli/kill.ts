// `proc-watchdog kill <pid>:<starttime>`: the identity-checked kill from a terminal. The sequence
// (confirm, signal, grace period, SIGKILL for survivors) is the editor's too: src/proc/killFlow.ts.
// Here only the terminal's side: the questions, one line per outcome, and the exit code.
import { join } from 'node:path';
import { MAX_SMALL_FILE_BYTES, readTextBounded } from '../proc/boundedRead';
import { createKillEnv } from '../proc/kill';
import type { KillEnv, KillOutcome, KillTarget, TargetOutcome } from '../proc/kill';
import { createKillBackend, outcomes, rootOutcome, runKill, withRunMembers } from '../proc/killFlow';
import type { AfterGrace, KillBackend, KillPlan, KillResult, KillScope, KillUi } from '../proc/killFlow';
import type { GraceClock } from '../proc/killGrace';
import { readProcessIdentity } from '../proc/readProcess';
import { displayCommand } from '../watchdog/format';
import { createMatcher } from '../watchdog/match';
import { sanitize } from '../watchdog/sanitize';
import { parseKillArgs } from './killArgs';
import type { KillArgs } from './killArgs';

/** What the kill command needs from the terminal (a subset of the CLI's io). */
export interface KillIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** True when a person can answer a question on stdin. */
  readonly interactive: boolean;
  /** Ask a yes/no question; resolves with the answer line, or null on EOF. */
  prompt(question: string): Promise<string | null>;
}

/** Exit codes, documented in `proc-watchdog help kill`. */
export const KILL_EXIT = {
  /** Every target was signalled and is gone (or was already gone). */
  done: 0,
  /** Signalled, but some targets still run after the grace period. */
  survivors: 1,
  badArgs: 2,
  /** Nothing signalled: identity changed (pid reused), refused, or not confirmed. */
  refused: 3,
  /** kill() got EPERM for the named process; the command to run instead was printed. */
  denied: 4,
} as const;

/** A command line in a prompt: sanitized (escape sequences in argv must not reach the terminal). */
const MAX_PROMPT_COMMAND_CHARS = 200;

export async function killCommand(
  args: readonly string[],
  io: KillIo,
  envOverride?: Partial<KillEnv>,
  clock: GraceClock = {},
): Promise<number> {
  const parsed = parseKillArgs(args);
  if (typeof parsed === 'string') return badArgs(io, parsed);
  const pidMax = await readPidMax(parsed.procRoot);
  if (pidMax !== null && parsed.pid > pidMax)
    return badArgs(io, `pid ${parsed.pid} is above this system's pid_max (${pidMax})`);
  const env: KillEnv = {
    // An injected signal function (tests on fake trees) acts on that tree: no namespace check.
    ...createKillEnv({
      procRoot: parsed.procRoot,
      matcher: createMatcher(parsed.patterns),
      signal: envOverride?.signal,
    }),
    ...envOverride,
  };

  // First read: what the user is about to confirm. killProcess reads again before signalling.
  const seen = await readProcessIdentity(env.procRoot, parsed.pid);
  if (seen.kind === 'vanished') {
    io.stdout(`PID ${parsed.pid}: already gone`);
    return KILL_EXIT.done;
  }
  if (seen.kind !== 'ok') {
    io.stderr(`PID ${parsed.pid}: cannot verify its identity (${seen.kind}); nothing signalled`);
    return KILL_EXIT.refused;
  }
  if (seen.starttime !== parsed.starttime) {
    io.stderr(
      `PID ${parsed.pid}: pid reused (starttime ${seen.starttime}, expected ${parsed.starttime}); nothing signalled`,
    );
    return KILL_EXIT.refused;
  }
  const root: KillTarget = { pid: seen.pid, starttime: seen.starttime, argv: seen.argv };
  const tree = createKillBackend(env, parsed.graceSeconds, clock);
  // --run: the same sequence over the run's members instead of the descendants alone.
  const backend: KillBackend = parsed.run ? withRunMembers(tree, env) : tree;
  const run = await runKill([root], {
    backend,
    ui: terminalUi(io, parsed),
    onKilled: () => undefined,
    escalate: true,
    signal: parsed.signal,
    listDescendants: parsed.tree || parsed.run,
  });
  if (run === 'cancelled') return KILL_EXIT.refused;
  reportSkipped(io, run.result);
  return exitCode(rootOutcome(run.result), await run.after, backend, io, parsed);
}

function badArgs(io: KillIo, message: string): number {
  io.stderr(`proc-watchdog kill: ${message}`);
  return KILL_EXIT.badArgs;
}

/** /proc/sys/kernel/pid_max under the proc root, or null when it cannot be read (a fake tree). */
async function readPidMax(procRoot: string): Promise<number | null> {
  try {
    const text = (
      await readTextBounded(join(procRoot, 'sys', 'kernel', 'pid_max'), MAX_SMALL_FILE_BYTES)
    ).trim();
    return /^\d{1,10}$/.test(text) ? Number(text) : null;
  } catch {
    return null;
  }
}

/** The terminal's answers to the sequence's questions, and one line per outcome. */
function terminalUi(io: KillIo, args: KillArgs): KillUi {
  return {
    confirm: async (plans) => confirmPlan(io, args, plans[0]!),
    // --yes answers the first question only; SIGKILL needs --escalate or its own "y".
    confirmSigkill: async (survivors, graceSeconds) => {
      io.stdout(`still running after ${graceSeconds} s: ${survivors.map((s) => s.pid).join(', ')}`);
      return args.yes ? args.escalate : ask(io, false, `Send SIGKILL to ${survivors.length} survivor(s)?`);
    },
    report: (result) => report(io, outcomes(result)),
  };
}

async function confirmPlan(io: KillIo, args: KillArgs, plan: KillPlan): Promise<KillScope | undefined> {
  const many = args.tree || args.run;
  if (many && plan.listError !== null) {
    const what = args.run ? 'run' : 'descendants';
    io.stderr(
      `PID ${args.pid}: cannot list its ${what} (${sanitize(plan.listError, 300)}); nothing signalled`,
    );
    return undefined;
  }
  const { target, descendants } = plan;
  const command = displayCommand(target.argv, MAX_PROMPT_COMMAND_CHARS);
  const tree =
    descendants.length > 0
      ? ` and ${descendants.length} descendant(s): ${descendants
          .slice(0, 20)
          .map((d) => d.pid)
          .join(', ')}${descendants.length > 20 ? ', …' : ''}`
      : '';
  const ok = await ask(io, args.yes, `Send ${args.signal} to PID ${target.pid} (${command})${tree}?`);
  if (!ok) return undefined;
  return many ? 'tree' : 'process';
}

async function ask(io: KillIo, yes: boolean, question: string): Promise<boolean> {
  if (yes) return true;
  if (!io.interactive) {
    io.stderr(`refusing without --yes: no terminal to confirm on (${question.slice(0, -1)})`);
    return false;
  }
  const answer = await io.prompt(`${question} [y/N] `);
  const ok = answer !== null && /^y(es)?$/i.test(answer.trim());
  if (!ok) io.stderr('not confirmed; nothing signalled');
  return ok;
}

function report(io: KillIo, results: readonly TargetOutcome[]): void {
  for (const { target, outcome } of results) {
    const who = `PID ${target.pid}:${target.starttime}`;
    switch (outcome.kind) {
      case 'killed':
        io.stdout(`${who}: sent ${outcome.signal}`);
        break;
      case 'alreadyGone':
        io.stdout(`${who}: already gone`);
        break;
      case 'pidReused':
        io.stderr(`${who}: pid reused; not signalled`);
        break;
      case 'denied':
        io.stderr(`${who}: permission denied; run: ${sanitize(outcome.command, 300)}`);
        break;
      case 'refused':
        io.stderr(`${who}: refused: ${sanitize(outcome.reason, 300)}`);
        break;
    }
  }
}

/** A tree kill whose root was signalled but some descendants were not: say so in one line. */
function reportSkipped(io: KillIo, result: KillResult): void {
  if (result.scope !== 'tree') return;
  const [, ...descendants] = result.results;
  const skipped = descendants.filter((r) => r.outcome.kind === 'refused' || r.outcome.kind === 'denied');
  if (skipped.length > 0)
    io.stderr(
      `${skipped.length} of ${descendants.length} descendant(s) not signalled: ${skipped.map((r) => r.target.pid).join(', ')}`,
    );
}

/**
 * The named process decides (issue 8): a root that was reused or refused is 3, denied 4, even
 * when descendants were signalled; a root that was signalled (or already gone) is 0 once
 * everything signalled is gone, 1 while something still runs. Descendants' refusals are
 * reported, not counted.
 */
async function exitCode(
  root: KillOutcome,
  after: AfterGrace,
  backend: KillBackend,
  io: KillIo,
  args: KillArgs,
): Promise<number> {
  if (root.kind === 'denied') return KILL_EXIT.denied;
  if (root.kind === 'pidReused' || root.kind === 'refused') return KILL_EXIT.refused;
  switch (after.kind) {
    case 'none':
    case 'gone':
      return KILL_EXIT.done;
    case 'survivors':
      if (args.signal !== 'SIGKILL')
        io.stdout(
          `to force: proc-watchdog kill <pid>:<starttime> --signal KILL (survivors: ${after.survivors.map((s) => `${s.pid}:${s.starttime}`).join(' ')})`,
        );
      return KILL_EXIT.survivors;
    case 'escalated': {
      const rootAgain = outcomes(after.result).find(
        (r) => r.target.pid === args.pid && r.target.starttime === args.starttime,
      )?.outcome;
      if (rootAgain?.kind === 'denied') return KILL_EXIT.denied;
      if (rootAgain?.kind === 'refused') return KILL_EXIT.refused;
      const signalled = outcomes(after.result)
        .filter((r) => r.outcome.kind === 'killed')
        .map((r) => r.target);
      const left = await backend.survivors(signalled, Math.max(1, backend.graceSeconds));
      return left.length === 0 ? KILL_EXIT.done : KILL_EXIT.survivors;
    }
  }
}
