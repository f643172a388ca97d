// What `watch --alertmanager` tells Alertmanager, as a pure reducer over the monitor's ticks:
// (previous push state, tick, wall clock) -> next push state, and the alerts to POST
// (Alertmanager API v2, POST /api/v2/alerts: an array of {labels, annotations, startsAt, endsAt}).
//
// Per process (pid:starttime):
//   FIRE (the alert reducer fired it)   --> active: sent on every tick, endsAt = now + validity
//   fired, missed by one scan           --> still active (alerts.ts: one miss can be a read race)
//   RECOVERY, or no longer fired        --> resolved: sent with endsAt = now until delivered once
// Labels are exactly what deploy/prometheus/rules.yml's ProcBlocking carries (alertname, kind,
// severity, the series labels, job and instance), so Alertmanager sees one alert whether it
// came from Prometheus or from here, and deduplicates the two.
// Like Prometheus (notifier: 4 × max(evaluation interval, resend delay of 1 m)), an active alert
// is valid for 4 × max(interval, 60 s): if the watch dies, Alertmanager resolves it by itself.
import type { AlertState } from '../watchdog/alertState';
import { formatAge } from '../watchdog/format';
import type { AlertEvent, Signal } from '../watchdog/types';
import type { ExporterOptions, ProcessRow } from './model';
import { MAX_NAME_CHARS, processRow } from './model';
import { sanitize } from '../watchdog/sanitize';

const ALERT_NAME = 'ProcBlocking';
const ALERT_KIND = 'proc_blocking';
const ALERT_SEVERITY = 'warning';
/** The scrape job name the rules file and the README use; the pushed alerts carry it too. */
export const DEFAULT_JOB = 'proc-watchdog';

export interface PostableAlert {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAt: string;
  readonly endsAt: string;
}

interface Entry {
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  readonly startsAtMs: number;
}

export interface PushState {
  readonly active: ReadonlyMap<string, Entry>;
  /** Resolved and not yet delivered: endsAt is when we learned it was over. */
  readonly resolved: ReadonlyMap<string, Entry & { readonly endsAtMs: number }>;
}

export interface PushOptions extends ExporterOptions {
  /** job, instance and any --alert-label: added to every alert, as Prometheus adds target labels. */
  readonly extraLabels: Readonly<Record<string, string>>;
}

export interface PushTick {
  readonly scanOk: boolean;
  /** Boot clock of the scan (ScanResult.uptimeSeconds). */
  readonly uptimeSeconds: number;
  readonly signals: readonly Signal[];
  readonly events: readonly AlertEvent[];
  /** The alert reducer's state after this tick. */
  readonly state: AlertState;
}

export function emptyPushState(): PushState {
  return { active: new Map(), resolved: new Map() };
}

export function reducePush(
  prev: PushState,
  tick: PushTick,
  wallNowMs: number,
  options: PushOptions,
): PushState {
  if (!tick.scanOk) return prev; // no evidence either way (alerts.ts does the same)
  const signals = new Map(tick.signals.map((s) => [s.key, s]));
  const active = new Map<string, Entry>();
  for (const entity of Object.values(tick.state.entities)) {
    if (entity.firedAtSeconds === null) continue;
    const signal = signals.get(entity.key);
    const old = prev.active.get(entity.key);
    if (signal === undefined) {
      if (old !== undefined) active.set(entity.key, old); // missed once: keep it as it was
      continue;
    }
    const startsAtMs =
      old?.startsAtMs ?? wallNowMs - Math.max(0, tick.uptimeSeconds - entity.firedAtSeconds) * 1000;
    const row = processRow(signal, options);
    active.set(entity.key, {
      labels: alertLabels(row, options.extraLabels),
      annotations: annotations(row, options),
      startsAtMs,
    });
  }
  const resolved = new Map(prev.resolved);
  for (const [key, entry] of prev.active) {
    if (!active.has(key)) resolved.set(key, { ...entry, endsAtMs: wallNowMs });
  }
  // A key that fires again (never in practice: a pid:starttime does not come back) is active.
  for (const key of active.keys()) resolved.delete(key);
  return { active, resolved };
}

/** The request body for this state: every active alert and every undelivered resolution. */
export function postableAlerts(state: PushState, wallNowMs: number, validForMs: number): PostableAlert[] {
  const iso = (ms: number): string => new Date(ms).toISOString();
  return [
    ...[...state.active.values()].map((e) => ({
      labels: e.labels,
      annotations: e.annotations,
      startsAt: iso(e.startsAtMs),
      endsAt: iso(wallNowMs + validForMs),
    })),
    ...[...state.resolved.values()].map((e) => ({
      labels: e.labels,
      annotations: e.annotations,
      startsAt: iso(Math.min(e.startsAtMs, e.endsAtMs)),
      endsAt: iso(e.endsAtMs),
    })),
  ];
}

/** After a successful POST of `sent`: its resolutions are delivered and need not be re-sent. */
export function acknowledge(state: PushState, sent: PushState): PushState {
  const resolved = new Map(state.resolved);
  for (const [key, entry] of sent.resolved) if (resolved.get(key) === entry) resolved.delete(key);
  return { active: state.active, resolved };
}

/** Validity of an active alert (see the header): 4 × max(interval, 60 s). */
export function validForMs(intervalSeconds: number): number {
  return 4 * Math.max(intervalSeconds, 60) * 1000;
}

function alertLabels(row: ProcessRow, extraLabels: Readonly<Record<string, string>>): Record<string, string> {
  const labels: Record<string, string> = {
    ...extraLabels,
    alertname: ALERT_NAME,
    kind: ALERT_KIND,
    severity: ALERT_SEVERITY,
    key: row.key,
    program: row.program,
    orphaned: String(row.orphaned),
  };
  // Prometheus drops empty labels; an alert with container="" would not dedup with its own.
  if (row.container !== '') labels.container = row.container;
  for (const [name, value] of Object.entries(labels)) if (value === '') delete labels[name];
  return labels;
}

function annotations(row: ProcessRow, options: ExporterOptions): Record<string, string> {
  const where = row.orphaned ? ', orphaned' : '';
  const out: Record<string, string> = {
    summary: `${row.program} process ${row.key} has run for ${formatAge(row.ageSeconds)}${where}`,
    description:
      `A ${row.program} run (pid ${row.pid}) is older than the proc-watchdog threshold${where}: ` +
      `check whether its launcher still needs it, or run \`proc-watchdog kill ${row.key}\` on its host.`,
  };
  if (options.exposeCmdline && row.command !== null) out.command = row.command;
  return out;
}

/** `NAME=VALUE` from --alert-label: a Prometheus label name, not reserved (`__`), any value. */
export function parseLabelOption(text: string): [string, string] | string {
  const eq = text.indexOf('=');
  if (eq === -1) return `not NAME=VALUE: "${text}"`;
  const name = text.slice(0, eq);
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name) || name.startsWith('__')) return `not a label name: "${name}"`;
  if (['alertname', 'kind', 'severity', 'key', 'program', 'orphaned', 'container'].includes(name))
    return `label "${name}" is set by the alert itself`;
  return [name, sanitize(text.slice(eq + 1), MAX_NAME_CHARS * 4)];
}
