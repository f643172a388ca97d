// Pure parser for /proc/<pid>/stat (proc(5)). Text in, result out, never throws.
import { fail, ok } from './parseResult';
import type { ParseResult } from './parseResult';

export interface StatFields {
  pid: number;
  comm: string;
  state: string;
  ppid: number;
  /** Process group (field 5): survives re-parenting. */
  pgrp: number;
  /** Session id (field 6): survives re-parenting; the whole session is one run. */
  session: number;
  utimeTicks: number;
  stimeTicks: number;
  starttime: number;
  rssPages: number;
  /** Threads (field 20): a process with one thread has its children in task/<pid>/children alone. */
  numThreads: number;
}

const UNSIGNED = /^\d+$/;
const SIGNED = /^-?\d+$/;

// Fields after the comm, counted from proc(5) field 3; index = field number - 3.
const FIELD_STATE = 3;
const FIELD_PPID = 4;
const FIELD_PGRP = 5;
const FIELD_SESSION = 6;
const FIELD_UTIME = 14;
const FIELD_STIME = 15;
const FIELD_NUM_THREADS = 20;
const FIELD_STARTTIME = 22;
const FIELD_RSS = 24;

const NUMERIC_FIELDS = [
  [FIELD_PPID, UNSIGNED], // field 4: ppid
  [FIELD_PGRP, SIGNED], // field 5: pgrp (an int in the kernel)
  [FIELD_SESSION, SIGNED], // field 6: session (an int in the kernel)
  [FIELD_UTIME, UNSIGNED], // field 14: utime, clock ticks
  [FIELD_STIME, UNSIGNED], // field 15: stime, clock ticks
  [FIELD_NUM_THREADS, SIGNED], // field 20: num_threads (a long)
  [FIELD_STARTTIME, UNSIGNED], // field 22: starttime, clock ticks after boot
  [FIELD_RSS, SIGNED], // field 24: rss, pages (a long in the kernel)
] as const;

/**
 * Parses the fields the watchdog uses. `comm` (field 2) is the text between the FIRST `(` and
 * the LAST `)`: a comm may itself contain spaces, parentheses and even newlines
 * (prometheus/procfs pid 584 `(a b ) ( c d) `; procps warns about `:-) 1 2 3 4 5 6`).
 * Empty or non-numeric fields are rejected: `Number('')` is 0 and would invent data; so is a
 * line without its final newline (a partial read).
 */
export function parseStat(text: string): ParseResult<StatFields> {
  // The kernel always ends the line with '\n' (seq_putc in do_task_stat). Without it the text
  // was cut short, possibly in the middle of a number we use ("1234" read as "12"): reject it.
  if (!text.endsWith('\n')) return fail('stat: truncated (no final newline)');
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return fail('stat: no "(comm)"');
  // field 1: pid
  const pidText = text.slice(0, open).trim();
  if (!UNSIGNED.test(pidText)) return fail(`stat: bad pid ${JSON.stringify(pidText)}`);
  const comm = text.slice(open + 1, close);
  // Fields 3..24 only: the ~28 later ones are never used, so they are not split off.
  const rest = text
    .slice(close + 1)
    .trim()
    .split(' ', FIELD_RSS - 2);
  const field = (n: number): string | undefined => rest[n - 3];

  // field 3: state (one letter: R, S, D, Z, T, t, X, I, …)
  const state = field(FIELD_STATE);
  if (state === undefined || !/^[A-Za-z]$/.test(state)) return fail('stat: bad state (field 3)');

  const numbers: number[] = [];
  for (const [n, pattern] of NUMERIC_FIELDS) {
    const raw = field(n);
    if (raw === undefined) return fail(`stat: truncated before field ${n}`);
    if (!pattern.test(raw)) return fail(`stat: field ${n} not a number: ${JSON.stringify(raw)}`);
    numbers.push(Number(raw));
  }
  const [ppid, pgrp, session, utimeTicks, stimeTicks, numThreads, starttime, rssPages] = numbers as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return ok({
    pid: Number(pidText),
    comm,
    state,
    ppid,
    pgrp,
    session,
    utimeTicks,
    stimeTicks,
    starttime,
    rssPages,
    numThreads,
  });
}
