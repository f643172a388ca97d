// Composition root: creates each part once, wires them, and gives every disposable exactly one
// owner in context.subscriptions. No scan is awaited here: the Monitor schedules the first one,
// and while `procWatchdog.enabled` is off nothing reads /proc and no timer runs.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { createKillEnv } from './proc/kill';
import type { TargetOutcome } from './proc/kill';
import { createScanSource } from './vscode/scanSource';
import { createMatcher } from './watchdog/match';
import { Monitor, nodeTimers } from './watchdog/monitor';
import type { WatchdogConfig } from './watchdog/types';
import { AlertStore, RunLengthsStore } from './vscode/alertStore';
import { killByArg, registerCommands, scanWithProgress, snoozeKeys } from './vscode/commands';
import type { SnoozeFor } from './watchdog/alertState';
import type { CommandDeps } from './vscode/commands';
import { WatchController } from './vscode/controller';
import type { TestApi } from './vscode/controller';
import type { KillOutcome } from './vscode/killCommand';
import { createKillBackend, outcomes, rootOutcome, withRunMembers } from './proc/killFlow';
import { withLeftBehind } from './watchdog/leftBehindMatch';
import { LeaderGate, staleMsForInterval } from './coordination/leaderGate';
import { LeaderLock } from './coordination/leaderLock';
import { SharedKills } from './coordination/sharedKills';
import { detectPidNamespace } from './proc/pidNamespace';
import { ProcessTreeProvider, VIEW_ID } from './vscode/processTree';
import { sanitizingLog } from './vscode/safeLog';
import { SettingsSource } from './vscode/settings';
import { WatchStatusBar } from './vscode/statusBar';

/**
 * activate()'s return value. It can read and snooze, never kill: every kill a user makes goes
 * through the modal (issue 8). The kill hooks exist only in a test host (testHooks).
 */
export interface ExtensionApi extends TestApi {
  snooze(key: string, what?: SnoozeFor): void;
  unsnooze(key: string): void;
  /** What the notification's "Show" does; resolves with whether the row was found and selected. */
  reveal(keys: readonly string[]): Promise<boolean>;
  /** Present only when VS Code runs this extension for its integration tests. */
  readonly testHooks?: TestHooks;
}

/** Kills that skip the modal, for the in-host tests only (ExtensionMode.Test). */
export interface TestHooks {
  /** Same engine, identity re-check and markKilled as the UI, "Terminate (SIGTERM)" answered. */
  kill(key: string): Promise<KillOutcome | 'cancelled' | 'notFound'>;
  /** Same, choosing "Terminate with N descendants": one outcome per signalled process. */
  killTree(key: string): Promise<readonly TargetOutcome[] | 'cancelled' | 'notFound'>;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  // Every line is sanitized on its way into the log (safeLog.ts): log lines quote outside text.
  const log = sanitizingLog(vscode.window.createOutputChannel(vscode.l10n.t('Proc Watchdog'), { log: true }));
  log.info(`activated (${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'} UI)`);
  const tree = new ProcessTreeProvider();
  const treeView = vscode.window.createTreeView(VIEW_ID, { treeDataProvider: tree, showCollapseAll: true });
  const status = new WatchStatusBar();
  const store = new AlertStore(context.workspaceState);
  const runLengths = new RunLengthsStore(context.workspaceState);
  const scanSource = createScanSource(context.workspaceState);
  context.subscriptions.push(log, tree, treeView, status, scanSource);

  let monitor: Monitor | null = null;
  let config: WatchdogConfig | null = null;
  const scanNow = async (): Promise<unknown> =>
    monitor !== null && config?.enabled ? monitor.scanNow() : null;

  // Several windows on one machine: one leader notifies (lease in global storage, src/coordination/leaderGate.ts).
  const lock = new LeaderLock({
    dir: context.globalStorageUri.fsPath,
    ownerId: `${process.pid}-${randomUUID()}`,
    staleMs: () => staleMsForInterval(config?.intervalSeconds ?? 30),
  });
  const leader = new LeaderGate(lock, () => config?.cooldownSeconds ?? 1800);
  // Kills from any window: input to this window's monitor every tick.
  const sharedKills = new SharedKills(lock);
  context.subscriptions.push(leader);
  const controller = new WatchController({
    gateNotify: (tick) => leader.notifiable(tick),
    tree,
    treeView,
    status,
    store,
    runLengths,
    log,
  });
  context.subscriptions.push(controller);
  const deps: CommandDeps = {
    controller,
    log,
    extensionId: context.extension.id,
    scanNow,
    markKilled: (key) => {
      monitor?.markKilled(key);
      void sharedKills.record(key); // the leader window may be another one
    },
    snooze: (key, what) => monitor?.snooze(key, what),
    unsnooze: (key) => monitor?.unsnooze(key),
    killBackend: (rows) => {
      const env = createKillEnv({
        procRoot: config?.procRoot ?? '/proc',
        // A process tests left behind matches no pattern: the rows being killed name it exactly.
        matcher: withLeftBehind(createMatcher(config?.patterns ?? []), rows),
        extraReapers: config?.reapers ?? [],
      });
      // A run is its descendants plus the rest of its session when the leader is gone (issue 11).
      return withRunMembers(createKillBackend(env, config?.killGraceSeconds ?? 5), env);
    },
  };
  context.subscriptions.push(...registerCommands(deps));

  const testHooks: TestHooks = {
    kill: async (key) => {
      const result = await killByArg(deps, key, () => Promise.resolve('process'));
      return typeof result === 'string' ? result : rootOutcome(result);
    },
    killTree: async (key) => {
      const result = await killByArg(deps, key, () => Promise.resolve('tree'));
      return typeof result === 'string' ? result : outcomes(result);
    },
  };
  const api: ExtensionApi = {
    scanNow: () => scanWithProgress(deps),
    snapshot: () => controller.snapshot(),
    snooze: (key, what = 'process') => snoozeKeys(deps, [key], what),
    unsnooze: (key) => {
      monitor?.unsnooze(key);
      void scanNow();
    },
    reveal: (keys) => controller.reveal(keys),
    // Only a test host (extensionTestsPath) runs an extension in ExtensionMode.Test.
    ...(context.extensionMode === vscode.ExtensionMode.Test ? { testHooks } : {}),
  };

  if (process.platform !== 'linux') {
    controller.setState('unsupported');
    log.info(`not scanning: /proc exists only on Linux (platform ${process.platform})`);
    return api;
  }

  controller.setState('starting');
  let namespaceCheckedFor: string | null = null;
  const settings = new SettingsSource((resolved) => {
    config = resolved.config;
    controller.setSidecar(resolved.sidecarEnabled, resolved.envPath);
    if (!config.enabled) {
      controller.setState('disabled');
      monitor?.updateConfig(config); // stops its timer; no monitor yet = nothing runs at all
      leader.release(); // no more ticks = no heartbeat: let another window lead at once
      scanSource.dispose(); // closes the kept cmdline fds; the next scan reopens what it needs
      return;
    }
    if (controller.watchState === 'disabled') controller.setState('starting');
    if (namespaceCheckedFor !== config.procRoot) {
      // Reads <procRoot>/1: only once watching is on (zero overhead while disabled), again when
      // procRoot changes (a mounted host /proc sees more than this container).
      namespaceCheckedFor = config.procRoot;
      void detectPidNamespace(config.procRoot)
        .then((v) => {
          log.info(`pid namespace: ${v.isolated ? 'container-only' : 'host'} ${JSON.stringify(v.evidence)}`);
          controller.setIsolated(v.isolated);
        })
        .catch((err: unknown) => log.error('pid namespace check', err));
    }
    if (monitor === null) {
      monitor = new Monitor({
        scan: (c) => scanSource.scan(c),
        killedElsewhere: () => sharedKills.keys(),
        timers: nodeTimers,
        onTick: (tick) => controller.onTick(tick),
        onError: (err) => log.error('tick failed', err),
        initialState: store.load(),
      });
      context.subscriptions.push({ dispose: () => monitor?.dispose() });
      monitor.start(config);
    } else {
      monitor.updateConfig(config);
    }
  }, log);
  context.subscriptions.push(settings);
  settings.refresh();
  return api;
}

export function deactivate(): void {
  // Everything is owned by context.subscriptions.
}
