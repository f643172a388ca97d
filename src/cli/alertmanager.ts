// `--alertmanager URL`: delivers the ProcBlocking alerts of each tick to Alertmanager (API v2,
// POST /api/v2/alerts). The I/O edge of src/metrics/alertmanagerModel.ts, which decides what to
// send. Never throws and never stops the watch: a failed POST is retried with exponential
// backoff (the latest state, not the failed body, so nothing stale is delivered late), and is
// reported once per outage on stderr, not once per retry.
import { hostname } from 'node:os';
import type { Tick, Timers } from '../watchdog/monitor';
import { nodeTimers } from '../watchdog/monitor';
import type { PushOptions, PushState } from '../metrics/alertmanagerModel';
import {
  acknowledge,
  DEFAULT_JOB,
  emptyPushState,
  parseLabelOption,
  postableAlerts,
  reducePush,
  validForMs,
} from '../metrics/alertmanagerModel';
import { sanitize } from '../watchdog/sanitize';
import { withoutTrailingSlashes } from '../watchdog/argv';
import type { OptionSpecs, ParsedOptions } from './args';

const EXPOSE_CMDLINE_OPTION: OptionSpecs = {
  '--expose-cmdline': {
    kind: 'flag',
    help: 'include command lines (sanitized: control/bidi chars escaped, 200 chars at most); off by default',
  },
};

export const ALERTMANAGER_OPTIONS: OptionSpecs = {
  '--alertmanager': {
    kind: 'string',
    help: 'URL  push ProcBlocking alerts to this Alertmanager (API v2), e.g. http://127.0.0.1:9093',
  },
  '--alert-label': {
    kind: 'list',
    help: `NAME=VALUE  label added to pushed alerts, repeatable (default job=${DEFAULT_JOB}, instance=<hostname>)`,
  },
  ...EXPOSE_CMDLINE_OPTION,
};

export interface Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** 1 s, 2 s, 4 s, 8 s, then every 10 s: back within ~10 s of Alertmanager's return. */
const DEFAULT_BACKOFF: Backoff = { initialMs: 1000, maxMs: 10_000 };
const REQUEST_TIMEOUT_MS = 10_000;

export interface PusherDeps {
  readonly fetch?: typeof fetch;
  readonly timers?: Timers;
  /** Wall clock, ms (startsAt/endsAt are wall times). */
  readonly now?: () => number;
  readonly log: (line: string) => void;
  readonly backoff?: Backoff;
}

export interface AlertmanagerTarget {
  /** .../api/v2/alerts, without credentials. */
  readonly url: string;
  /** `Basic …` when the URL carried user:password. */
  readonly authorization: string | null;
}

/** `http://am:9093`, `http://am:9093/prefix/`, `http://u:p@am:9093/api/v2/alerts`. */
export function alertmanagerTarget(text: string): AlertmanagerTarget | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `not a URL: "${sanitize(text, 100)}"`;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `not http(s): "${url.protocol}"`;
  const authorization =
    url.username === '' && url.password === ''
      ? null
      : `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`;
  url.username = '';
  url.password = '';
  if (!url.pathname.endsWith('/api/v2/alerts'))
    url.pathname = `${withoutTrailingSlashes(url.pathname)}/api/v2/alerts`;
  return { url: url.toString(), authorization };
}

export class AlertmanagerPusher {
  private state: PushState = emptyPushState();
  private intervalSeconds = 30;
  private inFlight = false;
  private again = false;
  private retryTimer: unknown = null;
  private failures = 0;
  private lastProblem: string | null = null;
  private disposed = false;
  private readonly fetch: typeof fetch;
  private readonly timers: Timers;
  private readonly now: () => number;
  private readonly backoff: Backoff;

  constructor(
    private readonly target: AlertmanagerTarget,
    private readonly options: PushOptions,
    private readonly deps: PusherDeps,
  ) {
    this.fetch = deps.fetch ?? fetch;
    this.timers = deps.timers ?? nodeTimers;
    this.now = deps.now ?? Date.now;
    this.backoff = deps.backoff ?? DEFAULT_BACKOFF;
  }

  /** Every tick: active alerts are (re-)sent, resolutions sent until delivered. */
  onTick(tick: Tick): void {
    if (this.disposed) return;
    this.intervalSeconds = tick.config.intervalSeconds;
    this.state = reducePush(
      this.state,
      {
        scanOk: tick.scan.ok,
        uptimeSeconds: tick.scan.uptimeSeconds,
        signals: tick.signals,
        events: tick.events,
        state: tick.state,
      },
      this.now(),
      this.options,
    );
    if (this.inFlight) this.again = true;
    else if (this.retryTimer === null) void this.send(); // while backing off, the retry sends
  }

  /** Where alerts go (without credentials). */
  get url(): string {
    return this.target.url;
  }

  /** Alerts not yet delivered (tests, and the final word on stop). */
  get pending(): PushState {
    return this.state;
  }

  dispose(): void {
    this.disposed = true;
    if (this.retryTimer !== null) this.timers.clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async send(): Promise<void> {
    const sent = this.state;
    const body = postableAlerts(sent, this.now(), validForMs(this.intervalSeconds));
    if (body.length === 0 || this.disposed) return;
    this.inFlight = true;
    this.again = false;
    let problem: string | null = null;
    try {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (this.target.authorization !== null) headers.authorization = this.target.authorization;
      const response = await this.fetch(this.target.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await response.text().catch(() => '');
      if (!response.ok) problem = `HTTP ${response.status} ${sanitize(text.split('\n')[0] ?? '', 200)}`;
    } catch (err) {
      problem = describeError(err);
    } finally {
      this.inFlight = false;
    }
    if (this.disposed) return;
    if (problem === null) this.delivered(sent);
    else this.failed(problem);
  }

  private delivered(sent: PushState): void {
    if (this.failures > 0) this.deps.log(`alertmanager: delivered to ${this.target.url} again`);
    this.failures = 0;
    this.lastProblem = null;
    this.state = acknowledge(this.state, sent);
    if (this.again) void this.send();
  }

  private failed(problem: string): void {
    this.failures++;
    const delayMs = Math.min(
      this.backoff.maxMs,
      this.backoff.initialMs * 2 ** Math.min(this.failures - 1, 20),
    );
    if (problem !== this.lastProblem) {
      this.deps.log(`alertmanager: cannot deliver to ${this.target.url}: ${problem} (retrying with backoff)`);
    }
    this.lastProblem = problem;
    this.retryTimer = this.timers.setTimeout(() => {
      this.retryTimer = null;
      void this.send();
    }, delayMs);
  }
}

function describeError(err: unknown): string {
  // fetch wraps the socket error: `TypeError: fetch failed` with cause ECONNREFUSED.
  const cause = (err as { cause?: { code?: string; message?: string } } | null)?.cause;
  const text = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return sanitize(text, 200);
}

/**
 * The pusher the options ask for: null without --alertmanager, an error text on a bad URL or
 * label. Default labels job=proc-watchdog and instance=<hostname>; --alert-label overrides.
 */
export function pusherFromOptions(
  options: ParsedOptions,
  deps: PusherDeps,
): AlertmanagerPusher | null | string {
  const url = options.strings.get('--alertmanager');
  const labelTexts = options.lists.get('--alert-label') ?? [];
  if (url === undefined) return labelTexts.length > 0 ? '--alert-label needs --alertmanager' : null;
  const target = alertmanagerTarget(url);
  if (typeof target === 'string') return `--alertmanager: ${target}`;
  const extraLabels: Record<string, string> = {
    job: DEFAULT_JOB,
    instance: sanitize(hostname(), 253),
  };
  for (const text of labelTexts) {
    const parsed = parseLabelOption(text);
    if (typeof parsed === 'string') return `--alert-label: ${parsed}`;
    extraLabels[parsed[0]] = parsed[1];
  }
  return new AlertmanagerPusher(
    target,
    { extraLabels, exposeCmdline: options.flags.has('--expose-cmdline') },
    deps,
  );
}
