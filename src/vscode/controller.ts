// Owns what the window shows between ticks: turns each Monitor tick into a view model and hands
// it to the tree, the status bar, the live notification, the persisted alert state and the test
// API. Decides nothing about alerts (the reducer did) nor about the notification's content (the
// liveNote reducer does), only how to show them.
import * as vscode from 'vscode';
import type { KillSignal } from '../proc/killHint';
import { afterKill, afterTick, EMPTY_NOTE, onlyEnded } from '../watchdog/liveNote';
import type { LiveNote, NoteStep } from '../watchdog/liveNote';
import type { Tick } from '../watchdog/monitor';
import { sanitize } from '../watchdog/sanitize';
import { composeNotification } from '../watchdog/notificationText';
import { buildViewModel, EMPTY_VIEW_MODEL, withFailedScan } from '../watchdog/viewModel';
import type { ProcessRow, TreeNode, ViewModel } from '../watchdog/viewModel';
import type { AlertEvent } from '../watchdog/types';
import { emptyRunLengths, observeRuns, thresholdAdvice, tickObservation } from '../watchdog/runLengths';
import type { RunLengths } from '../watchdog/runLengths';
import type { AlertStore, RunLengthsStore } from './alertStore';
import { ageText, UI_WORDS } from './ageText';
import { LiveNotification } from './liveNotification';
import { revealRow, VIEW_ID } from './processTree';
import type { ProcessTreeProvider } from './processTree';
import { describeRow } from './rowText';
import type { WatchStatusBar } from './statusBar';

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
    terminating: boolean;
    orphaned: boolean;
    label: string;
    commandLine: string;
    description: string;
  }[];
  /** Alert events of recent ticks, oldest first (at most 100). */
  readonly recentEvents: readonly RecordedEvent[];
  /** Texts the live notification showed or was updated to, oldest first (at most 100). */
  readonly recentNotifications: readonly string[];
  /** How many times a notification was opened (each replaces the previous one). */
  readonly notificationsShown: number;
  readonly isolatedPidNamespace: boolean;
  /** The threshold advice line of the status-bar tooltip and Copy Report, or ''. */
  readonly advice: string;
  /** Runs the advice has learned from: ended on their own while watched. */
  readonly learnedRuns: number;
}

export interface ControllerDeps {
  readonly tree: ProcessTreeProvider;
  readonly treeView: vscode.TreeView<TreeNode>;
  readonly status: WatchStatusBar;
  readonly store: AlertStore;
  /** Threshold advice: how long runs took when they ended on their own (optional in tests). */
  readonly runLengths?: RunLengthsStore;
  readonly log: vscode.LogOutputChannel;
  /**
   * Multi-window gate (src/coordination/leaderGate.ts), called every tick: resolves with the events
   * this window should show (none for a follower). Without it every event is shown.
   */
  readonly gateNotify?: (tick: Tick) => Promise<readonly AlertEvent[]>;
  readonly nowMs?: () => number;
}

const MAX_RECENT = 100;
/** An "Ended: …" notification with nothing else to say stays this long, then closes itself. */
const ENDED_LINGER_MS = 10_000;
/** A kill's "terminating…" is dropped after this long even if the process is still there. */
const TERMINATING_MAX_MS = 120_000;

export class WatchController implements vscode.Disposable {
  private model: ViewModel = EMPTY_VIEW_MODEL;
  private lastTick: Tick | null = null;
  private state: WatchState = 'starting';
  private isolated = false;
  private sidecarNote = '';
  private note: LiveNote = EMPTY_NOTE;
  private notificationsShown = 0;
  private runLengths: RunLengths;
  /** One line suggesting a longer `ageMinutes`, or '' (status-bar tooltip and Copy Report). */
  private adviceLine = '';
  /** Keys a signal was sent to from here, with when: drawn "terminating…" until gone. */
  private readonly terminating = new Map<string, number>();
  private readonly recentEvents: RecordedEvent[] = [];
  private readonly recentNotifications: string[] = [];
  private readonly nowMs: () => number;
  private readonly live: LiveNotification;

  constructor(private readonly deps: ControllerDeps) {
    this.nowMs = deps.nowMs ?? Date.now;
    this.runLengths = deps.runLengths?.load() ?? emptyRunLengths();
    this.live = new LiveNotification((why) => {
      this.note = EMPTY_NOTE;
      deps.log.info(`notification ${why}`);
    }, this.nowMs);
  }

  get viewModel(): ViewModel {
    return this.model;
  }

  get watchState(): WatchState {
    return this.state;
  }

  setState(state: WatchState): void {
    if (state !== this.state) void vscode.commands.executeCommand('setContext', 'procWatchdog.state', state);
    this.state = state;
    if (state === 'unsupported' || state === 'disabled') {
      this.model = EMPTY_VIEW_MODEL;
      this.applyNote({ next: EMPTY_NOTE, action: 'close' });
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

  onTick(tick: Tick): void {
    const atMs = this.nowMs();
    // Signals sent from here, read before the rows of processes now gone stop saying
    // "terminating…": a run killed from here before it blocked has no "killed" recovery.
    const alsoKilled = [...this.terminating.keys()];
    this.lastTick = tick;
    const present = new Set(tick.signals.map((s) => s.key));
    for (const [key, since] of this.terminating)
      if (!present.has(key) || atMs - since > TERMINATING_MAX_MS) this.terminating.delete(key);
    this.model = tick.scan.ok
      ? buildViewModel(tick, atMs, new Set(this.terminating.keys()))
      : withFailedScan(this.model, tick.scan, atMs);
    const s = tick.scan.stats;
    const line = `scan ok=${tick.scan.ok} processes=${s.processes} matched=${s.matched} blocking=${this.model.blockingCount} vanished=${s.vanished} denied=${s.denied} malformed=${s.malformed} durationMs=${s.durationMs.toFixed(1)} events=${tick.events.length}`;
    if (tick.scan.ok) this.deps.log.debug(line);
    else this.deps.log.warn(`${line} error=${tick.scan.error ?? '?'}`);
    for (const e of tick.events) {
      const reason = e.type === 'recovery' ? e.reason : null;
      this.deps.log.info(`alert ${e.type} ${e.key}${reason === null ? '' : ` reason=${reason}`}`);
      this.recentEvents.push({ type: e.type, key: e.key, pid: e.pid, reason, atMs });
    }
    this.recentEvents.splice(0, Math.max(0, this.recentEvents.length - MAX_RECENT));
    this.deps.store.save(tick.state);
    this.learnRunLengths(tick, alsoKilled);
    if (this.state !== 'unsupported' && this.state !== 'disabled')
      this.setState(tick.scan.ok ? 'watching' : 'scanFailed');
    this.render();
    if (tick.scan.ok) this.notify(tick);
  }

  /** The threshold advice: what it learns from this tick, and its line. */
  get advice(): string {
    return this.adviceLine;
  }

  private learnRunLengths(tick: Tick, alsoKilled: readonly string[]): void {
    this.runLengths = observeRuns(this.runLengths, tickObservation(tick, alsoKilled));
    this.deps.runLengths?.save(this.runLengths);
    const advice = thresholdAdvice(this.runLengths, tick.config.ageMinutes);
    this.adviceLine =
      advice === null
        ? ''
        : vscode.l10n.t(
            'Runs here that ended on their own took up to {0}, longer than procWatchdog.ageMinutes ({1}): consider {2}.',
            ageText(advice.longestSeconds),
            advice.ageMinutes,
            advice.suggestedMinutes,
          );
  }

  /** A signal was sent from here: the rows say "terminating…" and the notification says it, at once. */
  markTerminating(keys: readonly string[], signal: KillSignal): void {
    const now = this.nowMs();
    for (const key of keys) this.terminating.set(key, now);
    this.rebuild();
    const rows = this.model.all.filter((r) => keys.includes(r.key));
    if (rows.length > 0) this.applyNote(afterKill(this.note, rows, signal));
  }

  /** The SIGKILL offer was declined: the survivors are no longer being terminated. */
  clearTerminating(keys: readonly string[]): void {
    for (const key of keys) this.terminating.delete(key);
    this.rebuild();
  }

  /** Focus the view, then select (and expand) the row of the first key that is still listed. */
  async reveal(keys: readonly string[]): Promise<boolean> {
    await vscode.commands.executeCommand(`${VIEW_ID}.focus`);
    return revealRow(this.deps.treeView, () => keys.map((k) => this.row(k)).find((r) => r !== undefined));
  }

  private rebuild(): void {
    const tick = this.lastTick;
    if (tick === null || !tick.scan.ok) return;
    const atMs = this.model.lastScan?.atMs ?? this.nowMs();
    this.model = buildViewModel(tick, atMs, new Set(this.terminating.keys()));
    this.render();
  }

  private notify(tick: Tick): void {
    const gate = this.deps.gateNotify;
    if (gate === undefined) {
      this.applyNote(
        afterTick(this.note, { events: tick.events, rows: this.model.all, nowMs: this.nowMs() }),
      );
      return;
    }
    void gate(tick)
      .then((events) =>
        this.applyNote(afterTick(this.note, { events, rows: this.model.all, nowMs: this.nowMs() })),
      )
      .catch((err: unknown) => this.deps.log.error('notification gate', err));
  }

  /** The one place the notification changes: composed once per change, shown or updated. */
  private applyNote(step: NoteStep): void {
    this.note = step.next;
    const composed = composeNotification(step.next, UI_WORDS);
    if (step.action === 'close' || composed === null) this.live.close();
    else if (step.action === 'show') {
      this.live.show(composed.message);
      this.notificationsShown++;
      this.deps.log.info(`notification shown (${step.next.entries.length} entries)`);
    } else if (step.action === 'update') this.live.update(composed.message);
    if ((step.action === 'show' || step.action === 'update') && composed !== null) {
      this.recentNotifications.push(composed.message);
      this.recentNotifications.splice(0, Math.max(0, this.recentNotifications.length - MAX_RECENT));
    }
    if (onlyEnded(this.note)) this.live.closeAfter(ENDED_LINGER_MS, () => (this.note = EMPTY_NOTE));
  }

  private render(): void {
    const { tree, treeView, status } = this.deps;
    tree.show(this.model, this.isolated);
    const blocking = this.model.blockingCount;
    treeView.badge =
      blocking > 0 ? { value: blocking, tooltip: vscode.l10n.t('{0} blocking', blocking) } : undefined;
    // The container notice, only on evidence (src/proc/pidNamespace.ts): one short line above the
    // rows (a view alone in its container shows no description, and the title has no room), and
    // the description where the view is moved next to others.
    treeView.description = this.isolated ? vscode.l10n.t('this container only') : undefined;
    treeView.message = this.message();
    const watching = this.state === 'watching' || this.state === 'scanFailed';
    const empty = watching && this.model.all.length === 0;
    void vscode.commands.executeCommand('setContext', 'procWatchdog.empty', empty);
    if (this.state === 'unsupported' || this.state === 'disabled') status.hide();
    else
      status.show(this.model, {
        isolated: this.isolated,
        sidecarNote: this.sidecarNote,
        advice: this.adviceLine,
      });
  }

  /** A failed scan and the container notice are said above the rows; the empty state is the welcome view's. */
  private message(): string | undefined {
    const last = this.model.lastScan;
    const parts: string[] = [];
    if (this.state === 'scanFailed' && last !== null && !last.ok) {
      const at = new Date(last.atMs).toLocaleTimeString();
      parts.push(vscode.l10n.t('Last scan {0} failed: {1}', at, sanitize(last.error ?? '?')));
    }
    // With no rows the welcome view says it, next to its buttons (a message would hide them).
    if (this.isolated && this.model.all.length > 0)
      parts.push(vscode.l10n.t('Only this container is visible.'));
    return parts.length > 0 ? parts.join(' ') : undefined;
  }

  /** Rows by key, for commands called with a key (notification links, tests). */
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
        terminating: r.terminating,
        orphaned: r.orphaned,
        label: r.label,
        commandLine: r.commandLine,
        description: describeRow(r),
      })),
      recentEvents: [...this.recentEvents],
      recentNotifications: [...this.recentNotifications],
      notificationsShown: this.notificationsShown,
      isolatedPidNamespace: this.isolated,
      advice: this.adviceLine,
      learnedRuns: this.runLengths.runs,
    };
  }

  dispose(): void {
    this.live.dispose();
  }
}
