// The one destructive command. Confirm in a modal that names PID, age, command line and the
// signal; re-verify identity right before signalling; map every outcome to one message.
// The engine is a parameter: "killer" replaces minimalKillEngine with the full protocol
// (src/proc/kill.ts: reapers, ancestors, descendants, SIGKILL escalation).
import * as vscode from 'vscode';
import { readProcessIdentity } from '../proc/readProcess';
import { formatAge } from '../watchdog/format';
import type { ProcessRow } from './viewModel';

export interface KillTargetIdentity {
  readonly pid: number;
  readonly starttime: number;
  /** The command line the user was shown: a different one now means a different process. */
  readonly argv: readonly string[];
}

export type KillOutcome =
  | { readonly kind: 'killed'; readonly signal: 'SIGTERM' | 'SIGKILL' }
  | { readonly kind: 'alreadyGone' }
  | { readonly kind: 'pidReused' }
  | { readonly kind: 'denied'; readonly command: string }
  | { readonly kind: 'refused'; readonly reason: string };

export type KillEngine = (target: KillTargetIdentity) => Promise<KillOutcome>;

function sameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, i) => word === b[i]);
}

/** SIGTERM after a fresh stat+cmdline read; refuses pid ≤ 1 and this extension host. */
export function minimalKillEngine(procRoot: string): KillEngine {
  return async (target) => {
    if (!Number.isInteger(target.pid) || target.pid <= 1)
      return { kind: 'refused', reason: `PID ${target.pid}` };
    if (target.pid === process.pid || target.pid === process.ppid) {
      return { kind: 'refused', reason: 'this is the editor itself' };
    }
    const now = await readProcessIdentity(procRoot, target.pid);
    if (now.kind === 'vanished') return { kind: 'alreadyGone' };
    if (now.kind === 'denied') return { kind: 'refused', reason: 'its /proc entry cannot be read' };
    if (now.kind === 'malformed') return { kind: 'refused', reason: now.error };
    if (now.starttime !== target.starttime || !sameArgv(now.argv, target.argv)) return { kind: 'pidReused' };
    try {
      process.kill(target.pid, 'SIGTERM');
      return { kind: 'killed', signal: 'SIGTERM' };
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (code === 'ESRCH') return { kind: 'alreadyGone' };
      if (code === 'EPERM') return { kind: 'denied', command: `sudo kill -TERM ${target.pid}` };
      return { kind: 'refused', reason: String(code ?? err) };
    }
  };
}

export interface KillDeps {
  readonly engine: KillEngine;
  /** Tests pass `async () => true`; the UI asks with a modal. */
  readonly confirm?: (row: ProcessRow) => Promise<boolean>;
  /** Told about a sent signal, so the recovery says "killed from Proc Watchdog". */
  readonly onKilled: (key: string) => void;
  /** Show the outcome; false in tests that only look at the returned value. */
  readonly report?: boolean;
}

export async function confirmKillModal(row: ProcessRow): Promise<boolean> {
  const terminate = vscode.l10n.t('Terminate (SIGTERM)');
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t('Terminate PID {0}?', row.pid),
    {
      modal: true,
      detail: vscode.l10n.t(
        '{0}\n\nRunning for {1}. SIGTERM will be sent to PID {2} only, after checking that it is still the same process.',
        row.commandLine,
        formatAge(row.ageSeconds),
        row.pid,
      ),
    },
    terminate,
  );
  return choice === terminate;
}

export function outcomeMessage(row: ProcessRow, outcome: KillOutcome): string {
  switch (outcome.kind) {
    case 'killed':
      return vscode.l10n.t('Sent {0} to PID {1} ({2}).', outcome.signal, row.pid, row.label);
    case 'alreadyGone':
      return vscode.l10n.t('PID {0} had already exited; nothing was signalled.', row.pid);
    case 'pidReused':
      return vscode.l10n.t('PID {0} now belongs to a different process; nothing was signalled.', row.pid);
    case 'denied':
      return vscode.l10n.t(
        'Not permitted to signal PID {0}. Run this instead: {1}',
        row.pid,
        outcome.command,
      );
    case 'refused':
      return vscode.l10n.t('Refused to signal PID {0}: {1}', row.pid, outcome.reason);
  }
}

/** Confirm, kill, report. Returns 'cancelled' when the user said no. */
export async function killRow(row: ProcessRow, deps: KillDeps): Promise<KillOutcome | 'cancelled'> {
  const confirmed = await (deps.confirm ?? confirmKillModal)(row);
  if (!confirmed) return 'cancelled';
  const outcome = await deps.engine({ pid: row.pid, starttime: row.starttime, argv: row.sample.argv });
  if (outcome.kind === 'killed') deps.onKilled(row.key);
  if (deps.report ?? true) {
    const message = outcomeMessage(row, outcome);
    if (outcome.kind === 'killed' || outcome.kind === 'alreadyGone')
      void vscode.window.showInformationMessage(message);
    else if (outcome.kind === 'denied') {
      const copy = vscode.l10n.t('Copy Command');
      void vscode.window.showWarningMessage(message, copy).then((c) => {
        if (c === copy) void vscode.env.clipboard.writeText(outcome.command);
      });
    } else void vscode.window.showWarningMessage(message);
  }
  return outcome;
}
