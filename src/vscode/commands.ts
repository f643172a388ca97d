// Command handlers. Each takes what it needs through `CommandDeps`; registration is one list
// whose disposables the composition root owns.
import * as os from 'node:os';
import * as vscode from 'vscode';
import type { WatchController } from './controller';
import { killRow } from './killCommand';
import type { KillBackend, KillPlan, KillResult, KillScope } from '../proc/killFlow';
import { notify } from './messages';
import { VIEW_ID } from './processTree';
import { markdownReport } from './report';
import { SECTION } from './settings';
import type { ProcessRow } from '../watchdog/viewModel';

export const COMMAND_IDS = [
  'procWatchdog.scanNow',
  'procWatchdog.kill',
  'procWatchdog.snooze',
  'procWatchdog.copyReport',
  'procWatchdog.openSettings',
  'procWatchdog.showLog',
  'procWatchdog.enable',
] as const;

export interface CommandDeps {
  readonly controller: WatchController;
  readonly log: vscode.LogOutputChannel;
  readonly extensionId: string;
  /** Runs a scan now (coalesced by the Monitor); null when watching is off or impossible. */
  readonly scanNow: () => Promise<unknown>;
  readonly markKilled: (key: string) => void;
  readonly snooze: (key: string) => void;
  /** The kill protocol with the current settings (proc root, patterns, reapers, grace period). */
  readonly killBackend: () => KillBackend;
}

/** A tree element, a key string (notification actions) or nothing (palette: ask). */
type RowArg = ProcessRow | string | undefined;

/**
 * What a command was called with, checked: anyone can run a command with any argument
 * (another extension, a keybinding, `executeCommand`). Nothing (the palette: ask) is
 * `{ key: undefined }`; a `pid:starttime` key, or an object carrying one, is that key; anything
 * else is null (invalid), never a throw.
 */
function rowArg(arg: unknown): { key: string | undefined } | null {
  if (arg === undefined) return { key: undefined };
  const key: unknown =
    typeof arg === 'string'
      ? arg
      : typeof arg === 'object' && arg !== null && 'key' in arg
        ? arg.key
        : undefined;
  return typeof key === 'string' && key.length <= 40 && /^\d+:\d+$/.test(key) ? { key } : null;
}

function fromArg(deps: CommandDeps, arg: RowArg): ProcessRow | undefined {
  if (arg === undefined) return undefined;
  // The element the tree passed may be a tick old; take the current row of the same identity.
  return deps.controller.row(typeof arg === 'string' ? arg : arg.key);
}

const invalidArgument = (): void =>
  void notify(
    'warning',
    vscode.l10n.t('Proc Watchdog: this command needs a process from the Processes view; nothing was done.'),
  );

async function pickRow(
  deps: CommandDeps,
  placeHolder: string,
  onlyBlocking: boolean,
  onlyKeys?: readonly string[],
): Promise<ProcessRow | undefined> {
  const rows = deps.controller.viewModel.all.filter(
    (r) => (!onlyBlocking || r.blocking) && (onlyKeys === undefined || onlyKeys.includes(r.key)),
  );
  if (rows.length === 0) {
    void notify('information', vscode.l10n.t('Proc Watchdog: no matching process is shown.'));
    return undefined;
  }
  // Quick-pick text renders $(icon) syntax: outside text gets it escaped.
  const picked = await vscode.window.showQuickPick(
    rows.map((row) => ({
      label: noIcons(row.label),
      description: `PID ${row.pid}`,
      detail: noIcons(row.commandLine),
      row,
    })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.row;
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

/**
 * Kill with the UI (modal, outcome messages, SIGKILL offer) or, for tests, with `confirm`
 * answering the modal (no messages, no SIGKILL step).
 */
export async function killByArg(
  deps: CommandDeps,
  arg: RowArg,
  confirm?: (plan: KillPlan) => Promise<KillScope | undefined>,
  /** With no `arg`: offer only these (the processes a notification was about). */
  onlyKeys?: readonly string[],
): Promise<KillResult | 'cancelled' | 'notFound'> {
  const row =
    fromArg(deps, arg) ??
    (arg === undefined
      ? await pickRow(deps, vscode.l10n.t('Process to terminate'), false, onlyKeys)
      : undefined);
  if (row === undefined) {
    if (arg === undefined) return 'cancelled';
    // E.g. "Kill…" on a notification about a process that has exited since: say so.
    if (confirm === undefined) void notify('information', NOT_FOUND_MESSAGE());
    return 'notFound';
  }
  const outcome = await killRow(row, {
    backend: deps.killBackend(),
    onKilled: deps.markKilled,
    ...(confirm ? { confirm, interactive: false } : { interactive: true }),
  });
  deps.log.info(`kill ${row.key}:`, outcome);
  // A fresh scan shows the effect; the recovery follows on the second scan without it.
  if (outcome !== 'cancelled') void deps.scanNow();
  return outcome;
}

export function snoozeKeys(deps: CommandDeps, keys: readonly string[]): void {
  for (const key of keys) deps.snooze(key);
  deps.log.info(`snoozed ${keys.join(', ')}`);
  if (keys.length > 0) void deps.scanNow();
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
    reg('procWatchdog.kill', async (raw?: unknown) => {
      const arg = rowArg(raw);
      if (arg !== null) return killByArg(deps, arg.key);
      invalidArgument();
      return 'invalid';
    }),
    reg('procWatchdog.snooze', async (raw?: unknown) => {
      const checked = rowArg(raw);
      if (checked === null) return invalidArgument();
      const arg = checked.key;
      const row =
        fromArg(deps, arg) ??
        (arg === undefined ? await pickRow(deps, vscode.l10n.t('Process to snooze'), true) : undefined);
      if (row !== undefined) snoozeKeys(deps, [row.key]);
    }),
    reg('procWatchdog.copyReport', async () => {
      await vscode.env.clipboard.writeText(
        markdownReport(deps.controller.viewModel, os.hostname(), vscode.l10n),
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

/** `$(name)` in quick-pick text is an icon; written `\$(name)` it is shown as typed. */
function noIcons(text: string): string {
  return text.split('$(').join('\\$(');
}
