// `proc-watchdog kill` arguments: the identity `<pid>:<starttime>` and the flags. Pure; every
// bad argument is one line and exit 2, never a kill of a number the user did not mean.
import { DEFAULT_KILL_GRACE_SECONDS } from '../proc/killGrace';
import type { KillSignal } from '../proc/kill';

/**
 * PID_MAX_LIMIT on 64-bit Linux (include/linux/threads.h): no pid is larger, whatever
 * /proc/sys/kernel/pid_max says (that is checked too, where it can be read).
 */
const PID_MAX_LIMIT = 4_194_304;

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
    '2 bad arguments (a pid outside 1..pid_max, a starttime that is not a whole number),',
    '3 nothing signalled (pid reused, refused, not confirmed), 4 permission denied (the command',
    'to run instead is printed). With --tree or --run the named process decides the code; what',
    'was not signalled among the others is reported.',
  ];
}

export interface KillArgs {
  pid: number;
  starttime: number;
  tree: boolean;
  /** The whole run (descendants plus a leaderless session): src/proc/runTargets.ts. */
  run: boolean;
  signal: KillSignal;
  yes: boolean;
  escalate: boolean;
  graceSeconds: number;
  patterns: string[];
  procRoot: string;
}

// Digits only, and few of them: no sign, no exponent, no `0x`, nothing Number() would round.
const IDENTITY = /^(\d{1,10}):(\d{1,20})$/;

/** `<pid>:<starttime>`, or why not. A bare pid is refused: the starttime makes reuse harmless. */
function parseIdentity(text: string | null): { pid: number; starttime: number } | string {
  const expected = 'expected <pid>:<starttime> (as shown by `proc-watchdog scan`)';
  if (text === null) return expected;
  const m = text.length <= 40 ? IDENTITY.exec(text) : null;
  if (m === null) return `${expected}, got ${JSON.stringify(text.slice(0, 40))}`;
  const pid = Number(m[1]);
  const starttime = Number(m[2]);
  if (pid < 1 || pid > PID_MAX_LIMIT) return `pid ${m[1]} is not a process id (1..${PID_MAX_LIMIT})`;
  if (!Number.isSafeInteger(starttime)) return `starttime ${m[2]} is out of range`;
  return { pid, starttime };
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
        const v = value()?.toUpperCase();
        const name = v?.startsWith('SIG') ? v.slice(3) : v;
        if (name !== 'TERM' && name !== 'KILL') return '--signal takes TERM or KILL';
        out.signal = name === 'KILL' ? 'SIGKILL' : 'SIGTERM';
        break;
      }
      case '--grace-seconds': {
        const v = Number(value() ?? 'x');
        if (!Number.isFinite(v) || v < 0 || v > 3600) return '--grace-seconds takes a number from 0 to 3600';
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
        if (arg.startsWith('-') || identity !== null)
          return `unexpected argument ${JSON.stringify(arg.slice(0, 40))}`;
        identity = arg;
    }
  }
  const id = parseIdentity(identity);
  if (typeof id === 'string') return id;
  out.pid = id.pid;
  out.starttime = id.starttime;
  if (out.patterns.length === 0) out.patterns = ['pytest'];
  return out;
}
