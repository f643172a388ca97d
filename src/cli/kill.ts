// `proc-watchdog kill <pid>:<starttime>`: the identity-checked kill from a terminal.
import { listDescendants } from '../proc/descendants';
import {
  createKillEnv,
  DEFAULT_KILL_GRACE_SECONDS,
  killAll,
  killTree,
  survivorsAfterGrace,
} from '../proc/kill';
import type { KillEnv, KillSignal, KillTarget, TargetOutcome } from '../proc/kill';
import { readProcessIdentity } from '../proc/readProcess';
import { continueStopped, listRunMembers } from '../proc/runTargets';
import { createMatcher } from '../watchdog/match';

/** What the kill command needs from the terminal (a subset of the CLI's io). */
export interface KillIo {
  stdout(line: string): void;
  stderr(line: string): void;
  /** True when a person can answer a question on stdin. */
  readonly interactive: boolean;
  /** Ask a yes/no question; resolves with the answer line, or null on EOF. */
  prompt(question: string): Promise<string | null>;
}

/** Exit codes, documented in `proc-watchdog help`. */
export const KILL_EXIT = {
  /** Every target was signalled and is gone (or was already gone). */
  done: 0,
  /** Signalled, but some targets still run after the grace period. */
  survivors: 1,
  badArgs: 2,
  /** Nothing signalled: identity changed (pid reused), refused, or not confirmed. */
  refused: 3,
  /** kill() got EPERM for at least one target; the command to run instead was printed. */
  denied: 4,
} as const;

const KILL_USAGE =
  'usage: proc-watchdog kill <pid>:<starttime> [--tree | --run] [--signal TERM|KILL] [--yes] [--escalate] [--grace-seconds N] [--pattern P]... [--proc-root DIR]';

export function killHelp(): string[] {
  return [
    KILL_USAGE,
    '',
    'Signals one process named by its identity (pid and starttime, as `scan` prints them). Its',
    'stat and cmdline are read again right before every signal; a changed identity is refused.',
    'Without --yes it asks on a terminal and refuses when there is none.',
    '  --tree             also signal its descendants (xdist workers, fixture processes)',
    '  --run              the whole run: descendants, and its session when the session leader',
    '                     (the launcher) is gone; stopped processes also get SIGCONT after TERM',
    '  --signal TERM|KILL first signal (default TERM)',
    '  --grace-seconds N  after TERM, wait up to N s for it to exit (default 5)',
    '  --escalate         with --yes: SIGKILL what is still running after the grace period',
    '  --pattern P        the process must still match P (default pytest; repeatable)',
    '  --proc-root DIR    default /proc',
    '',
    'exit codes: 0 signalled and gone (or already gone), 1 still running after the grace period,',
    '2 bad arguments, 3 nothing signalled (pid reused, refused, not confirmed), 4 permission',
    'denied (the command to run instead is printed)',
  ];
}

interface KillArgs {
  pid: number;
  starttime: number;
  tree: boolean;
  run: boolean;
  signal: KillSignal;
  yes: boolean;
  escalate: boolean;
  graceSeconds: number;
  patterns: string[];
  procRoot: string;
}

export function parseKillArgs(args: readonly string[]): KillArgs | string {
  const out: KillArgs = {
    pid: 0,
    starttime: 0,
    tree: false,
    run: false,
    signal: 'SIGTERM',
    yes: false,
    escalate: false,
    graceSeconds: DEFAULT_KILL_GRACE_SECONDS,
    patterns: [],
    procRoot: '/proc',
  };
  let identity: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string | null => {
      const next = args[i + 1];
      if (next === undefined) return null;
      i++;
      return next;
    };
    switch (arg) {
      case '--tree':
        out.tree = true;
        break;
      case '--run':
        out.run = true;
        break;
      case '--yes':
      case '-y':
        out.yes = true;
        break;
      case '--escalate':
        out.escalate = true;
        break;
      case '--signal': {
        const v = value()?.toUpperCase().replace(/^SIG/, '');
        if (v !== 'TERM' && v !== 'KILL') return '--signal takes TERM or KILL';
        out.signal = v === 'KILL' ? 'SIGKILL' : 'SIGTERM';
        break;
      }
      case '--grace-seconds': {
        const v = Number(value() ?? 'x');
        if (!Number.isFinite(v) || v < 0) return '--grace-seconds takes a number ≥ 0';
        out.graceSeconds = v;
        break;
      }
      case '--pattern': {
        const v = value();
        if (v === null || v.trim() === '') return '--pattern takes a program name';
        out.patterns.push(v);
        break;
      }
      case '--proc-root': {
        const v = value();
        if (v === null || v === '') return '--proc-root takes a folder';
        out.procRoot = v;
        break;
      }
      default:
        if (arg.startsWith('-') || identity !== null) return `unexpected argument ${JSON.stringify(arg)}`;
        identity = arg;
    }
  }
  // A bare pid is refused on purpose: the starttime is what makes a reused pid harmless.
  const m = identity === null ? null : /^(\d+):(\d+)$/.exec(identity);
  if (m === null) return 'expected <pid>:<starttime> (as shown by `proc-watchdog scan`)';
  out.pid = Number(m[1]);
  out.starttime = Number(m[2]);
  if (out.patterns.length === 0) out.patterns = ['pytest'];
  return out;
}

export async function killCommand(
  args: readonly string[],
  io: KillIo,
  envOverride?: Partial<KillEnv>,
): Promise<number> {
  const parsed = parseKillArgs(args);
  if (typeof parsed === 'string') {
    io.stderr(`proc-watchdog kill: ${parsed}`);
    return KILL_EXIT.badArgs;
  }
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
  let descendants: readonly KillTarget[] = [];
  if (parsed.tree || parsed.run) {
    const listed = parsed.run
      ? await listRunMembers(env.procRoot, root, await env.protectedPids().catch(() => new Set<number>()))
      : await listDescendants(env.procRoot, root);
    if (listed.kind !== 'ok') {
      io.stderr(
        `PID ${parsed.pid}: cannot list its ${parsed.run ? 'run' : 'descendants'} (${listed.kind}); nothing signalled`,
      );
      return KILL_EXIT.refused;
    }
    descendants = listed.descendants;
  }

  const what = `${parsed.signal} to PID ${root.pid} (${root.argv.join(' ')})${descendants.length > 0 ? ` and ${descendants.length} descendant(s): ${descendants.map((d) => d.pid).join(', ')}` : ''}`;
  if (!(await confirm(io, parsed.yes, `Send ${what}?`))) return KILL_EXIT.refused;

  const first = await killTree(root, descendants, parsed.signal, env);
  report(io, first);
  if (parsed.signal === 'SIGTERM') {
    const killed = first.filter((r) => r.outcome.kind === 'killed').map((r) => r.target);
    report(io, await continueStopped(killed, env));
  }
  const worst = exitFor(first, true);
  if (worst !== KILL_EXIT.done) return worst;

  const signalled = first.filter((r) => r.outcome.kind === 'killed').map((r) => r.target);
  const survivors = await survivorsAfterGrace(signalled, env.procRoot, {
    graceMs: parsed.graceSeconds * 1000,
  });
  if (survivors.length === 0) return KILL_EXIT.done;
  io.stdout(`still running after ${parsed.graceSeconds} s: ${survivors.map((s) => s.pid).join(', ')}`);
  if (parsed.signal === 'SIGKILL') return KILL_EXIT.survivors;

  // SIGKILL is a second, separately confirmed step, and only for the survivors.
  const escalate = parsed.yes
    ? parsed.escalate
    : await confirm(io, false, `Send SIGKILL to ${survivors.length} survivor(s)?`);
  if (!escalate) {
    io.stdout(
      `to force: proc-watchdog kill <pid>:<starttime> --signal KILL (survivors: ${survivors.map((s) => `${s.pid}:${s.starttime}`).join(' ')})`,
    );
    return KILL_EXIT.survivors;
  }
  // As in the UI: the root must still match the patterns; descendants are verified by identity.
  const isRoot = (t: KillTarget): boolean => t.pid === parsed.pid && t.starttime === parsed.starttime;
  const second = [
    ...(await killAll(survivors.filter(isRoot), 'SIGKILL', env)),
    ...(await killAll(
      survivors.filter((t) => !isRoot(t)),
      'SIGKILL',
      env,
      { requireMatch: false },
    )),
  ];
  report(io, second);
  const afterKill = exitFor(second, false);
  if (afterKill !== KILL_EXIT.done) return afterKill;
  const left = await survivorsAfterGrace(survivors, env.procRoot, {
    graceMs: Math.max(1000, parsed.graceSeconds * 1000),
  });
  return left.length === 0 ? KILL_EXIT.done : KILL_EXIT.survivors;
}

async function confirm(io: KillIo, yes: boolean, question: string): Promise<boolean> {
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
        io.stderr(`${who}: permission denied; run: ${outcome.command}`);
        break;
      case 'refused':
        io.stderr(`${who}: refused: ${outcome.reason}`);
        break;
    }
  }
}

/**
 * The worst outcome decides: denied beats refused beats done. A reused pid is a refusal only for
 * the root the user named; for a descendant or a survivor it means that process is gone.
 */
function exitFor(results: readonly TargetOutcome[], firstIsRoot: boolean): number {
  const kinds = new Set(
    results.map((r, i) =>
      r.outcome.kind === 'pidReused' && !(firstIsRoot && i === 0) ? 'alreadyGone' : r.outcome.kind,
    ),
  );
  if (kinds.has('denied')) return KILL_EXIT.denied;
  if (kinds.has('pidReused') || kinds.has('refused')) return KILL_EXIT.refused;
  return KILL_EXIT.done;
}
