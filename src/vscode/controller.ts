// Owns what the window shows between ticks: turns each Monitor tick into a view model and
// hands it to the tree, the status bar, the notifications, the persisted alert state and the
// test API. Decides nothing about alerts (the reducer did), only how to show them.
import * as vscode from 'vscode';
import type { ScanResult } from '../proc/types';
import type { AlertState } from '../watchdog/alertState';
import type { AlertEvent, Signal, WatchdogConfig } from '../watchdog/types';
import type { AlertStore } from './alertStore';
import { showNotification } from './notifications';
import type { NotificationActions } from './notifications';
import { composeNotification } from './notificationText';
import type { ProcessTreeProvider } from './processTree';
import { describeRow, isolatedNote } from './rowText';
import type { WatchStatusBar } from './statusBar';
import { sanitize } from '../watchdog/sanitize';
import { buildViewModel, EMPTY_VIEW_MODEL, withFailedScan } from '../watchdog/viewModel';
import type { ProcessRow, ViewModel } from '../watchdog/viewModel';

/** What the Monitor hands to onTick (src/watchdog/monitor.ts). */
export interface TickView {
  readonly scan: ScanResult;
  readonly signals: readonly Signal[];
  readonly events: readonly AlertEvent[];
  readonly state: AlertState;
  readonly config: WatchdogConfig;
}

/** Value of the `procWatchdog.state` context key that viewsWelcome and menus gate on. */
export type WatchState = 'unsupported' | 'disabled' | 'starting' | 'watching' | 'scanFailed';

export interface RecordedEvent {
  readonly type: AlertEvent['type'];
  readonly key: string;
  readonly pid: number;
  readonly reason: string | null;
  readonly atMs: number;
}

/** Returned by activate(); the in-host tests and the harness rely on it. */
export interface TestApi {
  scanNow(): Promise<unknown>;
  snapshot(): Snapshot;
}

export interface Snapshot {
  readonly state: WatchState;
  readonly blockingCount: number;
  readonly lastScan: { ok: boolean; processes: number; matched: number } | null;
  readonly processes: {
    key: string;
    pid: number;
    starttime: number;
    blocking: boolean;
    snoozed: boolean;
    orphaned: boolean;
    label: string;
    description: string;
  }[];
  /** Alert events of recent ticks, oldest first (at most 100). */
  readonly recentEvents: readonly RecordedEvent[];
  /** Notification texts shown (or, when not leading, that would have been), oldest first. */
  readonly recentNotifications: readonly string[];
  readonly isolatedPidNamespace: boolean;
}

export interface ControllerDeps {
  readonly tree: ProcessTreeProvider;
  readonly treeView: vscode.TreeView<ProcessRow>;
  readonly status: WatchStatusBar;
  readonly store: AlertStore;
  readonly log: vscode.LogOutputChannel;
  readonly actions: NotificationActions;
  /** Whether this window may raise notifications (multi-window leader election); default yes. */
  readonly mayNotify?: () => boolean;
  /**
   * Multi-window gate (src/coordination/leaderGate.ts), called every tick: resolves with the events
   * this window should show (none for a follower). When set, it replaces mayNotify.
   */
  readonly gateNotify?: (tick: TickView) => Promise<readonly AlertEvent[]>;
  readonly nowMs?: () => number;
}

const MAX_RECENT = 100;

export class WatchController {
  private model: ViewModel = EMPTY_VIEW_MODEL;
  private state: WatchState = 'starting';
  private isolated = false;
  private sidecarNote = '';
  private readonly recentEvents: RecordedEvent[] = [];
  private readonly recentNotifications: string[] = [];
  private readonly nowMs: () => number;

  constructor(private readonly deps: ControllerDeps) {
    this.nowMs = deps.nowMs ?? Date.now;
  }

  get viewModel(): ViewModel {
    return this.model;
  }

  get watchState(): WatchState {
    return this.state;
  }

  setState(state: WatchState): void {
    this.state = state;
    void vscode.commands.executeCommand('setContext', 'procWatchdog.state', state);
    if (state === 'unsupported' || state === 'disabled') {
      this.model = EMPTY_VIEW_MODEL;
      this.deps.status.hide();
      this.render();
    }
  }

  setIsolated(isolated: boolean): void {
    this.isolated = isolated;
    void vscode.commands.executeCommand('setContext', 'procWatchdog.isolatedPidNamespace', isolated);
    this.render();
  }

  /** "Sidecar (WATCHDOG_PROC_ENABLED in .env.watchdog): off" — information only. */
  setSidecar(enabled: boolean | null, envPath: string | null): void {
    this.sidecarNote =
      enabled === null || envPath === null
        ? ''
        : vscode.l10n.t(
            'Sidecar watch ({0}): {1}',
            sanitize(envPath.slice(envPath.lastIndexOf('/') + 1), 80),
            enabled ? vscode.l10n.t('on') : vscode.l10n.t('off'),
          );
    this.render();
  }

  onTick(tick: TickView): void {
    const atMs = this.nowMs();
    const snoozed = new Set(tick.state.snoozedKeys);
    this.model = tick.scan.ok
      ? buildViewModel(tick.scan, tick.signals, snoozed, atMs)
      : withFailedScan(this.model, tick.scan, atMs);
    const s = tick.scan.stats;
    const line = `scan ok=${tick.scan.ok} processes=${s.processes} matched=${s.matched} blocking=${this.model.blockingCount} vanished=${s.vanished} denied=${s.denied} malformed=${s.malformed} durationMs=${s.durationMs.toFixed(1)} events=${tick.events.length}`;
    if (tick.scan.ok) this.deps.log.debug(line);
    else this.deps.log.warn(`${line} error=${tick.scan.error ?? '?'}`);
    for (const e of tick.events) {
      this.deps.log.info(
        `alert ${e.type} ${e.key}${e.type === 'recovery' ? ` reason=${e.reason} ranSeconds=${Math.round(e.ranSeconds)}` : ''}`,
      );
      this.recentEvents.push({
        type: e.type,
        key: e.key,
        pid: e.pid,
        reason: e.type === 'recovery' ? e.reason : null,
        atMs,
      });
    }
    this.recentEvents.splice(0, Math.max(0, this.recentEvents.length - MAX_RECENT));
    this.deps.store.save(tick.state);
    if (this.state !== 'unsupported' && this.state !== 'disabled')
      this.setState(tick.scan.ok ? 'watching' : 'scanFailed');
    this.render();
    this.notify(tick.events, tick);
  }

  private notify(events: readonly AlertEvent[], tick: TickView): void {
    const rows = new Map(this.model.all.map((r) => [r.key, r]));
    const note = composeNotification(events, rows, vscode.l10n);
    if (note !== null) {
      this.recentNotifications.push(note.message);
      this.recentNotifications.splice(0, Math.max(0, this.recentNotifications.length - MAX_RECENT));
    }
    const gate = this.deps.gateNotify;
    if (gate === undefined) {
      if (note !== null && (this.deps.mayNotify?.() ?? true)) showNotification(note, this.deps.actions);
      return;
    }
    void gate(tick)
      .then((shown) => {
        const gated = composeNotification(shown, rows, vscode.l10n);
        if (gated !== null) showNotification(gated, this.deps.actions);
      })
      .catch((err: unknown) => this.deps.log.error('notification gate', err));
  }

  private render(): void {
    const { tree, treeView, status } = this.deps;
    tree.show(this.model, this.isolated);
    const blocking = this.model.blockingCount;
    treeView.badge =
      blocking > 0 ? { value: blocking, tooltip: vscode.l10n.t('{0} blocking', blocking) } : undefined;
    treeView.message = this.message();
    if (this.state !== 'unsupported' && this.state !== 'disabled') status.show(this.model, this.isolated);
  }

  private message(): string | undefined {
    if (this.state === 'unsupported' || this.state === 'disabled') return undefined;
    const parts: string[] = [];
    const last = this.model.lastScan;
    // A view with a message shows no welcome content, so the empty state is said here.
    if (last !== null && last.ok && this.model.all.length === 0)
      parts.push(vscode.l10n.t('No matching process is running.'));
    if (last !== null) {
      const at = new Date(last.atMs).toLocaleTimeString();
      parts.push(
        last.ok
          ? vscode.l10n.t(
              'Last scan {0}: {1} processes, {2} matched.',
              at,
              last.stats.processes,
              last.stats.matched,
            )
          : vscode.l10n.t('Last scan {0} failed: {1}', at, last.error ?? '?'),
      );
    }
    if (this.sidecarNote !== '') parts.push(this.sidecarNote);
    if (this.isolated) parts.push(isolatedNote(vscode.l10n));
    return parts.length > 0 ? parts.join(' ') : undefined;
  }

  /** Rows by key, for commands called with a key (notification actions, tests). */
  row(key: string): ProcessRow | undefined {
    return this.model.all.find((r) => r.key === key);
  }

  snapshot(): Snapshot {
    const last = this.model.lastScan;
    return {
      state: this.state,
      blockingCount: this.model.blockingCount,
      lastScan:
        last === null ? null : { ok: last.ok, processes: last.stats.processes, matched: last.stats.matched },
      processes: this.model.all.map((r) => ({
        key: r.key,
        pid: r.pid,
        starttime: r.starttime,
        blocking: r.blocking,
        snoozed: r.snoozed,
        orphaned: r.orphaned,
        label: r.label,
        description: describeRow(r, vscode.l10n),
      })),
      recentEvents: [...this.recentEvents],
      recentNotifications: [...this.recentNotifications],
      isolatedPidNamespace: this.isolated,
    };
  }
}
