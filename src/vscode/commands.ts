// Command handlers. Each takes what it needs through `CommandDeps`; registration is one list
// whose disposables the composition root owns. Commands that act on processes take a tree row,
// a key, a list of keys (the notification's links) or nothing (the palette: ask).
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { KillSignal } from '../proc/killHint';
import type { KillBackend, KillPlan, KillResult, KillScope } from '../proc/killFlow';
import type { SnoozeFor } from '../watchdog/alertState';
import type { ProcessRow } from '../watchdog/viewModel';
import type { WatchController } from './controller';
import { killRow } from './killCommand';
import type { KillDeps } from './killCommand';
import { killRows } from './killMany';
import { pickRows, pickSnooze } from './pick';
import { VIEW_ID } from './processTree';
import { markdownReport } from './report';
import { SECTION } from './settings';
import { notify } from './messages';

/** Contributed in package.json (palette, menus). */
export const COMMAND_IDS = [
  'procWatchdog.scanNow',
  'procWatchdog.kill',
  'procWatchdog.snooze',
  'procWatchdog.unsnooze',
  'procWatchdog.copyReport',
  'procWatchdog.openSettings',
  'procWatchdog.showLog',
  'procWatchdog.enable',
] as const;
/** Registered but not contributed: run by the notification's "Show" link. */
const REVEAL_COMMAND = 'procWatchdog.reveal';

export interface CommandDeps {
  readonly controller: WatchController;
  readonly log: vscode.LogOutputChannel;
  readonly extensionId: string;
  /** Runs a scan now (coalesced by the Monitor); null when watching is off or impossible. */
  readonly scanNow: () => Promise<unknown>;
  readonly markKilled: (key: string) => void;
  readonly snooze: (key: string, what: SnoozeFor) => void;
  readonly unsnooze: (key: string) => void;
  /** The kill protocol with the current settings (proc root, patterns, reapers, grace period). */
  /** The kill engine for these rows (a left-behind row is accepted as its own pattern). */
  readonly killBackend: (rows: readonly ProcessRow[]) => KillBackend;
}

/** A tree element, a key, keys (notification links) or nothing (palette: ask). */
type RowsArg = ProcessRow | string | readonly string[] | undefined;

/** The current rows the argument names (the element the tree passed may be a tick old). */
function rowsOf(deps: CommandDeps, arg: RowsArg): ProcessRow[] {
  const keys = arg === undefined ? [] : typeof arg === 'string' ? [arg] : 'key' in arg ? [arg.key] : arg;
  return keys.flatMap((k) => {
    const row = deps.controller.row(k);
    return row === undefined ? [] : [row];
  });
}

const isKeys = (arg: RowsArg): arg is readonly string[] => Array.isArray(arg);

const isKey = (value: unknown): value is string =>
  typeof value === 'string' && value.length <= 40 && /^\d+:\d+$/.test(value);

/**
 * What a command was called with, checked: anyone can run a command with any argument (another
 * extension, a keybinding, a link), so only nothing, a `pid:starttime` key, a list of keys or an
 * object carrying a key (a tree element) is taken; anything else is null (said, never a throw).
 */
function checkedArg(raw: unknown): RowsArg | null {
  if (raw === undefined) return undefined;
  if (isKey(raw)) return raw;
  if (Array.isArray(raw)) return raw.length <= 1000 && raw.every(isKey) ? raw : null;
  if (typeof raw === 'object' && raw !== null && 'key' in raw && isKey(raw.key)) return raw.key;
  return null;
}

/** Runs `command` with the checked argument, or says the argument was not usable. */
function withArg<T>(command: (arg: RowsArg) => T): (raw?: unknown) => T | 'invalid' {
  return (raw) => {
    const arg = checkedArg(raw);
    if (arg !== null) return command(arg);
    void notify(
      'warning',
      vscode.l10n.t('Proc Watchdog: this command needs a process from the Processes view; nothing was done.'),
    );
    return 'invalid';
  };
}

export async function scanWithProgress(deps: CommandDeps): Promise<unknown> {
  const state = deps.controller.watchState;
  if (state === 'unsupported' || state === 'disabled') {
    void notify(
      'information',
      state === 'disabled'
        ? vscode.l10n.t('Proc Watchdog is disabled (procWatchdog.enabled).')
        : vscode.l10n.t('Proc Watchdog only works on Linux.'),
    );
    return null;
  }
  return vscode.window.withProgress(
    { location: { viewId: VIEW_ID }, title: vscode.l10n.t('Scanning /proc…') },
    () => deps.scanNow(),
  );
}

const NOT_FOUND_MESSAGE = (): string =>
  vscode.l10n.t(
    'That process is no longer listed (it has exited or the view changed): nothing was signalled.',
  );

function killDeps(
  deps: CommandDeps,
  rows: readonly ProcessRow[],
  confirm?: (plan: KillPlan) => Promise<KillScope | undefined>,
): KillDeps {
  return {
    backend: deps.killBackend(rows),
    onKilled: deps.markKilled,
    onTerminating: (keys: readonly string[], signal: KillSignal | null) =>
      signal === null
        ? deps.controller.clearTerminating(keys)
        : deps.controller.markTerminating(keys, signal),
    ...(confirm ? { confirm, interactive: false } : { interactive: true }),
  };
}

/**
 * Kill with the UI (modal, outcome messages, SIGKILL offer) or, for tests, with `confirm`
 * answering the modal (no messages, no SIGKILL step). Several keys or none: a multi-select pick.
 */
export async function killByArg(
  deps: CommandDeps,
  arg: RowsArg,
  confirm?: (plan: KillPlan) => Promise<KillScope | undefined>,
): Promise<KillResult | 'cancelled' | 'notFound'> {
  const named = rowsOf(deps, arg);
  let rows: ProcessRow[] = named;
  if (arg !== undefined && named.length === 0) {
    // E.g. "Kill…" on a notification about a process that has exited since: say so.
    if (confirm === undefined) void notify('information', NOT_FOUND_MESSAGE());
    return 'notFound';
  }
  if (arg === undefined || (isKeys(arg) && named.length > 1)) {
    // The palette offers every row; a notification about several offers those, all ticked.
    const keys = named.map((r) => r.key);
    rows = await pickRows(deps.controller.viewModel.roots, {
      placeHolder: vscode.l10n.t('Processes to terminate (Space selects several)'),
      filter: (r) => keys.length === 0 || keys.includes(r.key),
      offerAllOrphans: keys.length === 0,
      picked: keys,
    });
    if (rows.length === 0) return 'cancelled';
  }
  const only = rows.length === 1 ? rows[0] : undefined;
  const outcome =
    only !== undefined
      ? await killRow(only, killDeps(deps, rows, confirm))
      : await killRows(rows, killDeps(deps, rows, confirm));
  deps.log.info(
    `kill ${rows.map((r) => r.key).join(', ')}: ${typeof outcome === 'string' ? outcome : JSON.stringify(outcome)}`,
  );
  // A fresh scan shows the effect; the recovery follows on the second scan without it.
  if (outcome !== 'cancelled') void deps.scanNow();
  return outcome;
}

export function snoozeKeys(deps: CommandDeps, keys: readonly string[], what: SnoozeFor): void {
  for (const key of keys) deps.snooze(key, what);
  deps.log.info(`snoozed ${keys.join(', ')} (${typeof what === 'string' ? what : `${what.seconds}s`})`);
  if (keys.length > 0) void deps.scanNow();
}

async function snoozeCommand(deps: CommandDeps, arg: RowsArg): Promise<void> {
  let rows = rowsOf(deps, arg);
  if (rows.length === 0)
    rows = await pickRows(deps.controller.viewModel.roots, {
      placeHolder: vscode.l10n.t('Processes to snooze'),
      filter: (r) => r.blocking,
    });
  if (rows.length === 0) return;
  const what = await pickSnooze(rows.length);
  if (what !== undefined)
    snoozeKeys(
      deps,
      rows.map((r) => r.key),
      what,
    );
}

async function unsnoozeCommand(deps: CommandDeps, arg: RowsArg): Promise<void> {
  let rows = rowsOf(deps, arg).filter((r) => r.snoozed);
  if (rows.length === 0 && arg === undefined)
    rows = await pickRows(deps.controller.viewModel.roots, {
      placeHolder: vscode.l10n.t('Processes to alert about again'),
      filter: (r) => r.snoozed,
    });
  for (const row of rows) deps.unsnooze(row.key);
  if (rows.length === 0) return;
  deps.log.info(`unsnoozed ${rows.map((r) => r.key).join(', ')}`);
  void deps.scanNow();
}

async function enableWatching(): Promise<void> {
  const cfg = vscode.workspace.getConfiguration(SECTION);
  const seen = cfg.inspect<boolean>('enabled');
  // Turn it on where it was turned off, or the more specific value keeps winning.
  const target =
    seen?.workspaceFolderValue === false
      ? vscode.ConfigurationTarget.WorkspaceFolder
      : seen?.workspaceValue === false
        ? vscode.ConfigurationTarget.Workspace
        : vscode.ConfigurationTarget.Global;
  await cfg.update('enabled', true, target);
}

export function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const reg = vscode.commands.registerCommand;
  return [
    reg('procWatchdog.scanNow', () => scanWithProgress(deps)),
    reg(
      'procWatchdog.kill',
      withArg((arg) => killByArg(deps, arg)),
    ),
    reg(
      'procWatchdog.snooze',
      withArg((arg) => snoozeCommand(deps, arg)),
    ),
    reg(
      'procWatchdog.unsnooze',
      withArg((arg) => unsnoozeCommand(deps, arg)),
    ),
    reg(
      REVEAL_COMMAND,
      withArg((arg) => {
        const keys = isKeys(arg) ? arg : rowsOf(deps, arg).map((r) => r.key);
        // Without a key: the most severe row (roots are sorted that way).
        const first = deps.controller.viewModel.roots[0]?.key;
        return deps.controller.reveal(keys.length > 0 || first === undefined ? keys : [first]);
      }),
    ),
    reg('procWatchdog.copyReport', async () => {
      await vscode.env.clipboard.writeText(
        markdownReport(deps.controller.viewModel, os.hostname(), deps.controller.advice),
      );
      void notify('information', vscode.l10n.t('Proc Watchdog: report copied to the clipboard.'));
    }),
    reg('procWatchdog.openSettings', () =>
      vscode.commands.executeCommand('workbench.action.openSettings', `@ext:${deps.extensionId}`),
    ),
    reg('procWatchdog.showLog', () => deps.log.show()),
    reg('procWatchdog.enable', () => enableWatching()),
  ];
}
