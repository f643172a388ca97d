// The Alertmanager push: the pure model (what is sent when) and the pusher (retries, backoff).
import { describe, expect, it } from 'vitest';
import type { ProcessSample, ScanResult } from '../../../src/proc/types';
import type { AlertmanagerTarget } from '../../../src/cli/alertmanager';
import { AlertmanagerPusher, alertmanagerTarget } from '../../../src/cli/alertmanager';
import type { PostableAlert, PushState } from '../../../src/metrics/alertmanagerModel';
import {
  acknowledge,
  emptyPushState,
  parseLabelOption,
  postableAlerts,
  reducePush,
  validForMs,
} from '../../../src/metrics/alertmanagerModel';
import type { AlertState } from '../../../src/watchdog/alertState';
import { emptyAlertState } from '../../../src/watchdog/alertState';
import { reduceAlerts } from '../../../src/watchdog/alerts';
import type { Tick } from '../../../src/watchdog/monitor';
import { DEFAULT_CONFIG } from '../../../src/watchdog/config';
import { buildSignals } from '../../../src/watchdog/signals';
import { makeSample } from '../../helpers/samples';

const OPTIONS = { extraLabels: { job: 'proc-watchdog', instance: 'ci-1' }, exposeCmdline: false };
const P = makeSample({ pid: 100, starttime: 5000, ageSeconds: 4000, containerId: 'abc' });
const WALL0 = Date.UTC(2030, 0, 1);

/** Feeds scans through the real alert reducer, as the Monitor does. */
function ticker(config = { ...DEFAULT_CONFIG, intervalSeconds: 30 }) {
  let alerts: AlertState = emptyAlertState();
  let uptime = 10_000;
  return (samples: readonly ProcessSample[], ok = true): Tick => {
    uptime += 30;
    const aged = samples.map((s) => ({ ...s, ageSeconds: s.ageSeconds + uptime - 10_000 }));
    const scan: ScanResult = {
      ok,
      uptimeSeconds: uptime,
      samples: aged,
      stats: { processes: 1, matched: aged.length, vanished: 0, denied: 0, malformed: 0, durationMs: 1 },
    };
    const signals = buildSignals(aged, config);
    const { next, events } = reduceAlerts(alerts, { signals, scanOk: ok, nowSeconds: uptime }, config);
    alerts = next;
    return { scan, signals, events, state: next, config };
  };
}

const asPush = (t: Tick) => ({
  scanOk: t.scan.ok,
  uptimeSeconds: t.scan.uptimeSeconds,
  signals: t.signals,
  events: t.events,
  state: t.state,
});

describe('reducePush / postableAlerts', () => {
  it('fires with the rule labels, stays active through one missed scan, resolves with the recovery', () => {
    const tick = ticker();
    let state: PushState = emptyPushState();
    state = reducePush(state, asPush(tick([P])), WALL0, OPTIONS);
    const [fired] = postableAlerts(state, WALL0, validForMs(30));
    expect(fired?.labels).toEqual({
      alertname: 'ProcBlocking',
      kind: 'proc_blocking',
      severity: 'warning',
      key: '100:5000',
      program: 'pytest',
      orphaned: 'true',
      container: 'abc',
      job: 'proc-watchdog',
      instance: 'ci-1',
    });
    expect(fired?.annotations.summary).toBe('pytest process 100:5000 has run for 1h 7m, orphaned');
    expect(fired?.annotations.command).toBeUndefined();
    expect(fired?.startsAt).toBe(new Date(WALL0).toISOString());
    expect(fired?.endsAt).toBe(new Date(WALL0 + 240_000).toISOString());

    // Re-sent while active, startsAt kept.
    state = reducePush(state, asPush(tick([P])), WALL0 + 30_000, OPTIONS);
    expect(postableAlerts(state, WALL0 + 30_000, 240_000).map((a) => a.startsAt)).toEqual([
      new Date(WALL0).toISOString(),
    ]);
    // One scan misses it: still active (alerts.ts needs two misses).
    state = reducePush(state, asPush(tick([])), WALL0 + 60_000, OPTIONS);
    expect(state.active.size).toBe(1);
    // Second miss: RECOVERY -> resolved, endsAt = now.
    const t = tick([]);
    expect(t.events.map((e) => e.type)).toEqual(['recovery']);
    state = reducePush(state, asPush(t), WALL0 + 90_000, OPTIONS);
    const sent = postableAlerts(state, WALL0 + 90_000, 240_000);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.endsAt).toBe(new Date(WALL0 + 90_000).toISOString());
    expect(sent[0]?.labels).toEqual(fired?.labels);
    // Delivered once: nothing left to send.
    expect(postableAlerts(acknowledge(state, state), WALL0 + 120_000, 240_000)).toEqual([]);
  });

  it('a failed scan changes nothing; a young process is not pushed', () => {
    const tick = ticker();
    let state = reducePush(
      emptyPushState(),
      asPush(tick([P, makeSample({ pid: 7, ageSeconds: 5 })])),
      WALL0,
      OPTIONS,
    );
    expect([...state.active.keys()]).toEqual(['100:5000']);
    const before = state;
    state = reducePush(state, asPush(tick([], false)), WALL0 + 30_000, OPTIONS);
    expect(state).toBe(before);
  });

  it('a resolution not yet delivered is kept until it is, even while newer ticks arrive', () => {
    const tick = ticker();
    let state = reducePush(emptyPushState(), asPush(tick([P])), WALL0, OPTIONS);
    tick([]);
    state = reducePush(state, asPush(tick([])), WALL0 + 60_000, OPTIONS);
    const inFlight = state;
    state = reducePush(state, asPush(tick([])), WALL0 + 90_000, OPTIONS);
    expect(state.resolved.size).toBe(1);
    expect(acknowledge(state, inFlight).resolved.size).toBe(0);
    expect(acknowledge(state, emptyPushState()).resolved.size).toBe(1);
  });

  it('command lines only with exposeCmdline, sanitized', () => {
    const evil = makeSample({ argv: ['pytest', '\u202Ex'], ageSeconds: 4000 });
    const state = reducePush(emptyPushState(), asPush(ticker()([evil])), WALL0, {
      ...OPTIONS,
      exposeCmdline: true,
    });
    expect(postableAlerts(state, WALL0, 1)[0]?.annotations.command).toBe('pytest \\u{202E}x');
  });

  it('validity: 4 × max(interval, 60 s), as Prometheus does', () => {
    expect(validForMs(1)).toBe(240_000);
    expect(validForMs(30)).toBe(240_000);
    expect(validForMs(120)).toBe(480_000);
  });

  it.each([
    ['instance=ci-1', ['instance', 'ci-1']],
    ['team=a=b', ['team', 'a=b']],
    ['cluster=', ['cluster', '']],
    ['nope', 'not NAME=VALUE: "nope"'],
    ['1x=a', 'not a label name: "1x"'],
    ['__name__=a', 'not a label name: "__name__"'],
    ['key=1:2', 'label "key" is set by the alert itself'],
  ])('parseLabelOption(%j)', (text, want) => {
    expect(parseLabelOption(text)).toEqual(want);
  });
});

describe('alertmanagerTarget', () => {
  it.each([
    ['http://127.0.0.1:9093', 'http://127.0.0.1:9093/api/v2/alerts', null],
    ['http://am:9093/', 'http://am:9093/api/v2/alerts', null],
    ['https://am/prefix/', 'https://am/prefix/api/v2/alerts', null],
    ['http://am:9093/api/v2/alerts', 'http://am:9093/api/v2/alerts', null],
    [
      'http://u:p%40ss@am:9093',
      'http://am:9093/api/v2/alerts',
      `Basic ${Buffer.from('u:p@ss').toString('base64')}`,
    ],
  ])('%s', (text, url, authorization) => {
    expect(alertmanagerTarget(text)).toEqual({ url, authorization });
  });

  it.each(['am:9093', 'ftp://am', 'not a url'])('rejects %s', (text) => {
    expect(typeof alertmanagerTarget(text)).toBe('string');
  });
});

/** Fake timers and fetch: every POST is recorded; `down` makes them fail like a refused connection. */
function harness() {
  const timers: { fn: () => void; ms: number }[] = [];
  const posts: PostableAlert[][] = [];
  const log: string[] = [];
  let down = true;
  let now = WALL0;
  const fetch = (async (_url: string, init: { body: string }) => {
    if (down) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    posts.push(JSON.parse(init.body) as PostableAlert[]);
    return new Response('', { status: 200 });
  }) as unknown as typeof globalThis.fetch;
  const target = alertmanagerTarget('http://127.0.0.1:9/') as AlertmanagerTarget;
  const pusher = new AlertmanagerPusher(target, OPTIONS, {
    fetch,
    now: () => now,
    log: (l) => log.push(l),
    timers: {
      setTimeout: (fn, ms) => {
        const t = { fn, ms };
        timers.push(t);
        return t;
      },
      clearTimeout: (h) => {
        const i = timers.indexOf(h as (typeof timers)[number]);
        if (i !== -1) timers.splice(i, 1);
      },
    },
  });
  const settle = () => new Promise((r) => setTimeout(r, 0));
  return {
    pusher,
    posts,
    log,
    timers,
    settle,
    setDown: (d: boolean) => (down = d),
    advance: (ms: number) => (now += ms),
    /** Fires the pending retry timer. */
    async fireRetry() {
      const t = timers.shift();
      t?.fn();
      await settle();
      return t?.ms;
    },
  };
}

describe('AlertmanagerPusher', () => {
  it('backs off 1, 2, 4, 8, 10, 10 s while Alertmanager is down, logs once, then delivers the latest state', async () => {
    const h = harness();
    const tick = ticker();
    h.pusher.onTick(tick([P]));
    await h.settle();
    expect(h.posts).toEqual([]);
    const delays: (number | undefined)[] = [];
    for (let i = 0; i < 5; i++) {
      // Ticks during the backoff do not POST (the retry will send their state).
      h.pusher.onTick(tick([P]));
      await h.settle();
      delays.push(await h.fireRetry());
    }
    expect(delays).toEqual([1000, 2000, 4000, 8000, 10_000]);
    expect(h.timers.map((t) => t.ms)).toEqual([10_000]);
    expect(h.log).toHaveLength(1);
    expect(h.log[0]).toMatch(/cannot deliver to http:\/\/127\.0\.0\.1:9\/api\/v2\/alerts: ECONNREFUSED/);

    h.setDown(false);
    await h.fireRetry();
    expect(h.posts).toHaveLength(1);
    expect(h.posts[0]?.map((a) => a.labels.key)).toEqual(['100:5000']);
    expect(h.log[1]).toMatch(/delivered to .* again/);
    expect(h.timers).toEqual([]);
    // Back to normal: every tick re-sends the active alert at once.
    h.pusher.onTick(tick([P]));
    await h.settle();
    expect(h.posts).toHaveLength(2);
  });

  it('a resolution made while Alertmanager is down arrives once it is back', async () => {
    const h = harness();
    h.setDown(false);
    const tick = ticker();
    h.pusher.onTick(tick([P]));
    await h.settle();
    h.setDown(true);
    h.pusher.onTick(tick([]));
    await h.settle();
    h.advance(60_000);
    h.pusher.onTick(tick([])); // RECOVERY, while down (and backing off)
    await h.settle();
    h.setDown(false);
    await h.fireRetry();
    const last = h.posts[h.posts.length - 1];
    expect(last).toHaveLength(1);
    expect(Date.parse(last?.[0]?.endsAt ?? '')).toBeLessThanOrEqual(WALL0 + 60_000);
    // Delivered: not sent again.
    h.pusher.onTick(tick([]));
    await h.settle();
    expect(h.posts[h.posts.length - 1]).toBe(last);
  });

  it('nothing to say, nothing sent; dispose stops retries', async () => {
    const h = harness();
    h.pusher.onTick(ticker()([]));
    await h.settle();
    expect(h.timers).toEqual([]);
    h.pusher.onTick(ticker()([P]));
    await h.settle();
    expect(h.timers).toHaveLength(1);
    h.pusher.dispose();
    expect(h.timers).toEqual([]);
  });
});
