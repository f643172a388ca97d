// Every place outside text is shown, enumerated (issue 8): each sink below is fed hostile
// strings (escape sequences, OSC, C1, bidi, zero-width, a `[label](command:…)` link, line
// breaks, 128 KiB strings of the characters that broke the old code) in every outside field it
// draws (argv, comm, parent comm, cwd, state, pattern, error texts, setting and env-file values,
// paths). Each output must hold no raw control, bidi or invisible character and stay bounded;
// VS Code message text must hold no link syntax; Markdown may hold outside text only inside
// code spans. A new place that shows outside text belongs in SINKS.
//
// Message sinks are checked as VS Code receives them: src/vscode/messages.ts applies
// finalMessage to every message and detail, and ESLint (eslint.config.mjs) forbids showing a
// message any other way. The terminal's sinks are checked before src/cli/io.ts's guard.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { detailLines, factsText } from '../../src/cli/diagnosisTable';
import { killCommand } from '../../src/cli/kill';
import type { KillIo } from '../../src/cli/kill';
import { scanJson, scanTable } from '../../src/cli/scanReport';
import { eventLine } from '../../src/cli/watchCommand';
import type { Diagnosis, ProcessDiagnosis } from '../../src/proc/diagnosisTypes';
import type { KillOutcome, KillTarget } from '../../src/proc/kill';
import type { KillPlan } from '../../src/proc/killFlow';
import type { ProcessSample, ScanResult } from '../../src/proc/types';
import {
  confirmDetail,
  confirmTitle,
  listTargets,
  outcomeMessage,
  treeSummary,
} from '../../src/vscode/killText';
import { markdownReport } from '../../src/vscode/report';
import { describeGroup, describeRow, groupTooltip, rowTooltip } from '../../src/vscode/rowText';
import { logText } from '../../src/vscode/safeLog';
import { settingsProblemsText, settingsWarning } from '../../src/vscode/settingsText';
import { WatchStatusBar } from '../../src/vscode/statusBar';
import { resolveConfig } from '../../src/watchdog/config';
import { afterTick, EMPTY_NOTE } from '../../src/watchdog/liveNote';
import { composeNotification, englishText } from '../../src/watchdog/notificationText';
import type { Words } from '../../src/watchdog/notificationText';
import { finalMessage, safeJson } from '../../src/watchdog/sanitize';
import { buildSignals } from '../../src/watchdog/signals';
import type { AlertEvent } from '../../src/watchdog/types';
import { buildViewModel, withFailedScan } from '../../src/watchdog/viewModel';
import type { GroupRow, ProcessRow, ViewModel } from '../../src/watchdog/viewModel';
import { removeFakeProcess, writeFakeProcess } from '../helpers/fakeProcTree';
import { makeSample } from '../helpers/samples';

// The editor's text builders use vscode only for l10n.t and MarkdownString: a stand-in for those
// (MarkdownString.appendText escapes as VS Code's does), so their output is checked in plain Node.
vi.mock('vscode', () => vi.importActual('../helpers/vscodeStub'));

const KIB_128 = 128 * 1024;
const LINK =
  '[Fix now](command:workbench.action.terminal.sendSequence?%7B%22text%22%3A%22rm%20-rf%20~%22%7D)';
const HOSTILE: readonly string[] = [
  LINK,
  `see ${LINK} and [b](https://evil.example) [c](file:///etc/passwd)`,
  'clear\u001b[2J\u001b]0;pwned\u0007',
  '\u001b]8;;https://evil.example\u0007click\u001b]8;;\u0007',
  'c1\u009b31mred\u0085',
  'rm \u202eexe.txt \u2066iso\u2069 zw\u200bj\ufeff tag\u{E0041}',
  'line\nFAKE LOG LINE\r\nmore',
  'a'.repeat(KIB_128),
  '/'.repeat(KIB_128),
  '`'.repeat(KIB_128),
  '1.'.repeat(KIB_128 / 2),
  `${'[x]('.repeat(KIB_128 / 8)}command:y)`,
  '|'.repeat(KIB_128),
  '\u001b'.repeat(KIB_128),
];

/** Raw characters that may never reach a screen: C0 (but \n), DEL, C1, bidi, invisible, lone surrogates. */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex -- it names exactly the characters that must not pass
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|\u{E0041}/u;
/** What VS Code turns into a clickable link in message text (vs/base/common/linkedText). */
const LINK_RE = /\[[^\]]+\]\((?:https?:\/\/|command:|file:)[^)\s]*/i;

const words: Words = {
  t: englishText,
  age: (seconds) => `${Math.round(seconds)}s`,
};
/** Our own links: the live notification's actions, the status-bar tooltip's commands. */
const OUR_LINK_TARGET = /^command:procWatchdog\.[A-Za-z.]+(?:\?[^)\s]*)?$/;

/** Markdown with every code span taken out: what is left is interpreted. Linear. */
function outsideCodeSpans(md: string): string {
  let out = '';
  let i = 0;
  while (i < md.length) {
    if (md[i] !== '`') {
      out += md[i];
      i++;
      continue;
    }
    let run = 0;
    while (md[i + run] === '`') run++;
    const fence = '`'.repeat(run);
    // The closing fence: a run of exactly `run` backticks.
    let close = md.indexOf(fence, i + run);
    while (close !== -1 && (md[close + run] === '`' || md[close - 1] === '`'))
      close = md.indexOf(fence, close + 1);
    if (close === -1) {
      out += fence;
      i += run;
    } else i = close + run;
  }
  return out;
}

/** A sample whose every outside field holds `h`. */
function hostileSample(h: string, over: Partial<ProcessSample> = {}): ProcessSample {
  return makeSample({
    argv: ['/venv/bin/python3', '-m', 'pytest', h, `--k=${h}`],
    comm: h,
    state: h,
    cwd: h,
    pattern: h,
    parent: { pid: 1, comm: h },
    containerId: 'a3f5c0ffee0123456789abcdef0123456789abcdef0123456789abcdef012345',
    ...over,
  });
}

/** A diagnosis (issue 11) whose every outside string holds `h`. */
function hostileDiagnosis(h: string): Diagnosis {
  const part: ProcessDiagnosis = {
    activity: { cpuPercent: 99, cpuSeconds: 5, state: h, verdict: 'spinning', wchan: h, idleSeconds: null },
    tests: [h, h],
    holds: {
      listening: [{ proto: 'tcp', address: h, port: 8765 }],
      files: [h],
      devices: [h],
      basetemp: h,
      complete: false,
      unknown: h,
    },
    run: { sid: 5, pgid: 5, cwd: h, branch: h, worktree: h, workspace: h },
  };
  const worker = {
    ...part,
    pid: 4300,
    starttime: 9,
    ppid: 4242,
    comm: h,
    argv: [h, h],
    role: 'xdist-worker' as const,
    ageSeconds: 5,
    rssBytes: null,
  };
  return { ...part, workers: [worker], workersComplete: false };
}

function scanOf(samples: readonly ProcessSample[], error?: string): ScanResult {
  return {
    ok: error === undefined,
    ...(error === undefined ? {} : { error }),
    uptimeSeconds: 10_000,
    samples,
    stats: { processes: 10, matched: samples.length, vanished: 0, denied: 0, malformed: 0, durationMs: 3 },
  };
}

/**
 * A run with a matched child, a diagnosis (its worker becomes a row: issue 11) and a process its
 * tests left behind, grouped by basetemp (issue 13); every outside field holds `h`.
 */
function modelOf(h: string): { model: ViewModel; row: ProcessRow; worker: ProcessRow; group: GroupRow } {
  const sample = hostileSample(h, { diagnosis: hostileDiagnosis(h) });
  const child = hostileSample(h, { pid: 4300, ppid: sample.pid, starttime: 123457, argv: [h, h] });
  const left = hostileSample(h, {
    pid: 4400,
    starttime: 1,
    ageSeconds: 1,
    leftBy: { kind: 'pytest', evidence: 'cwd', basetemp: h, run: null, testDir: h },
    diagnosis: hostileDiagnosis(h),
  });
  const scan = scanOf([sample, child, left]);
  const signals = buildSignals(scan.samples, { ageMinutes: 0, orphansOnly: false });
  const model = buildViewModel({ scan, signals, state: { snoozes: {} } }, 1_700_000_000_000);
  const row = model.roots.find((r) => r.pid === sample.pid)!;
  const worker = row.children.find((r) => r.kind === 'worker')!;
  const group = model.tree.find((n): n is GroupRow => n.kind === 'group')!;
  return { model, row, worker, group };
}

const target = (h: string): KillTarget => ({ pid: 4300, starttime: 9, argv: [h, h] });
const plan = (row: ProcessRow, h: string): KillPlan => ({
  target: { pid: row.pid, starttime: row.starttime, argv: row.sample.argv },
  descendants: [target(h)],
  listError: h,
});
const outcomesFor = (h: string): KillOutcome[] => [
  { kind: 'killed', signal: 'SIGTERM' },
  { kind: 'denied', command: h },
  { kind: 'refused', code: 'unverifiable', reason: h },
  { kind: 'refused', code: 'signalFailed', reason: h },
];
const fire = (row: ProcessRow): AlertEvent => ({
  type: 'fire',
  key: row.key,
  pid: row.pid,
  starttime: row.starttime,
  ageSeconds: 4000,
});
const recovery = (h: string, pid: number): AlertEvent => ({
  type: 'recovery',
  key: `${pid}:1`,
  pid,
  starttime: 1,
  reason: 'exited',
  ranSeconds: 100,
  command: h,
});

/** The live notification's text for these events over the hostile model (src/watchdog/liveNote.ts). */
function liveText(h: string, events: (model: ViewModel) => AlertEvent[]): string {
  const { model } = modelOf(h);
  const step = afterTick(EMPTY_NOTE, { events: events(model), rows: model.all, nowMs: 0 });
  return composeNotification(step.next, words)?.message ?? '';
}

type SinkKind = 'message' | 'markdown' | 'text';
interface Sink {
  readonly name: string;
  readonly kind: SinkKind;
  readonly maxChars: number;
  readonly render: (h: string) => string | Promise<string>;
}

/** What a VS Code message shows (src/vscode/messages.ts). */
const shown = (text: string): string => finalMessage(text);

const SINKS: readonly Sink[] = [
  { name: 'tree row label', kind: 'text', maxChars: 200, render: (h) => modelOf(h).row.label },
  { name: 'tree row description', kind: 'text', maxChars: 300, render: (h) => describeRow(modelOf(h).row) },
  {
    name: 'tree row tooltip (Markdown)',
    kind: 'markdown',
    maxChars: 8000,
    render: (h) => rowTooltip(modelOf(h).row, true).value,
  },
  { name: 'worker row label', kind: 'text', maxChars: 200, render: (h) => modelOf(h).worker.label },
  {
    name: 'worker row description',
    kind: 'text',
    maxChars: 300,
    render: (h) => describeRow(modelOf(h).worker),
  },
  {
    name: 'worker row tooltip (Markdown)',
    kind: 'markdown',
    maxChars: 8000,
    render: (h) => rowTooltip(modelOf(h).worker, false).value,
  },
  {
    name: '"Left behind by tests" group: description',
    kind: 'text',
    maxChars: 200,
    render: (h) => describeGroup(modelOf(h).group),
  },
  {
    name: '"Left behind by tests" group: tooltip (Markdown)',
    kind: 'markdown',
    maxChars: 4000,
    render: (h) => groupTooltip(modelOf(h).group).value,
  },
  {
    name: 'status-bar tooltip (Markdown)',
    kind: 'markdown',
    maxChars: 8000,
    render: (h) => {
      const bar = new WatchStatusBar(() => 'always');
      bar.show(modelOf(h).model, { isolated: true, sidecarNote: h.slice(0, 200), advice: '' });
      return (bar as unknown as { item: { tooltip: { value: string } } }).item.tooltip.value;
    },
  },
  {
    name: 'tree view message (a failed scan names the proc root)',
    kind: 'text',
    maxChars: 400,
    render: (h) =>
      withFailedScan(modelOf(h).model, scanOf([], `cannot read ${h}: EACCES`), 0).lastScan?.error ?? '',
  },
  {
    name: 'notification: blocking (the live notification, with our own links)',
    kind: 'message',
    maxChars: 5000,
    render: (h) => liveText(h, (model) => model.all.map(fire)),
  },
  {
    name: 'notification: blocking and ended (a recovery whose command comes from a saved state)',
    kind: 'message',
    maxChars: 5000,
    render: (h) => liveText(h, (model) => [...model.all.map(fire), recovery(h, 1), recovery(h, 2)]),
  },
  {
    name: 'kill modal: title and detail',
    kind: 'message',
    maxChars: 8000,
    render: (h) => {
      const { row } = modelOf(h);
      return [confirmTitle(row, plan(row, h)), confirmDetail(row, plan(row, h))].map(shown).join('\n');
    },
  },
  {
    name: 'kill modal: detail without descendants (list error)',
    kind: 'message',
    maxChars: 4000,
    render: (h) => {
      const { row } = modelOf(h);
      return shown(confirmDetail(row, { ...plan(row, h), descendants: [] }));
    },
  },
  {
    name: 'kill outcome messages',
    kind: 'message',
    maxChars: 20_000,
    render: (h) => {
      const { row } = modelOf(h);
      return outcomesFor(h)
        .map((o) => shown(outcomeMessage(row, o)))
        .join('\n');
    },
  },
  {
    name: 'kill tree summary',
    kind: 'message',
    maxChars: 4000,
    render: (h) => {
      const { model } = modelOf(h);
      const results = outcomesFor(h).map((outcome) => ({ target: target(h), outcome }));
      return shown(treeSummary(model.all, results, 'SIGTERM'));
    },
  },
  {
    name: 'SIGKILL question detail (the survivors listed)',
    kind: 'message',
    maxChars: 8000,
    render: (h) => shown(listTargets([target(h), target(h)]).join('\n')),
  },
  {
    name: 'Copy Report (Markdown)',
    kind: 'markdown',
    maxChars: 12_000,
    render: (h) => markdownReport(modelOf(h).model, h),
  },
  {
    name: 'settings warning (workspace settings and env file)',
    kind: 'message',
    maxChars: 4000,
    render: (h) => {
      const resolved = resolveConfig({
        explicit: { cooldownSeconds: h, ageMinutes: { h }, patterns: [h, ''], procRoot: h },
        env: {
          path: h,
          text: `WATCHDOG_PROC_AGE_MIN=${h}\nWATCHDOG_PROC_ENABLED=${h}\nWATCHDOG_PROC_X ${h}`,
        },
      });
      const l10n = words as unknown as Parameters<typeof settingsWarning>[1];
      const text = settingsProblemsText({ kind: 'notRegular', path: h }, resolved.problems, l10n) ?? '';
      return shown(settingsWarning(text, l10n));
    },
  },
  {
    name: 'log line (message, values and an Error)',
    kind: 'text',
    maxChars: 16_000,
    render: (h) => logText(`kill ${h}`, [{ reason: h }, new Error(h)]),
  },
  {
    name: 'CLI scan table',
    kind: 'text',
    maxChars: 2000,
    render: (h) => {
      const scan = scanOf([hostileSample(h)]);
      const config = { ...resolveConfig({ explicit: {} }).config, patterns: [h] };
      return scanTable(scan, buildSignals(scan.samples, config), config, 400).join('\n');
    },
  },
  {
    name: 'CLI scan table: diagnosis lines (tests, holds, run, workers, left behind)',
    kind: 'text',
    maxChars: 8000,
    render: (h) => {
      const sample = hostileSample(h, {
        diagnosis: hostileDiagnosis(h),
        leftBy: { kind: 'pytest', evidence: 'cwd', basetemp: h, run: h, testDir: h },
      });
      return [...detailLines(sample), factsText(sample)].join('\n');
    },
  },
  {
    name: 'CLI scan --json (parses back to the same argv)',
    kind: 'text',
    // The machine contract carries the whole argv: escaped, not cut.
    maxChars: 64 * KIB_128,
    render: (h) => {
      const sample = hostileSample(h);
      const scan = scanOf([sample]);
      const config = resolveConfig({ explicit: {} }).config;
      const json = safeJson(scanJson(scan, buildSignals(scan.samples, config), config));
      const back = JSON.parse(json) as { processes: { argv: string[]; comm: string }[] };
      expect(back.processes[0]?.argv).toEqual(sample.argv);
      expect(back.processes[0]?.comm).toBe(h);
      return json;
    },
  },
  {
    name: 'CLI watch event lines',
    kind: 'text',
    maxChars: 4000,
    render: (h) => {
      const sample = hostileSample(h);
      const config = { ageMinutes: 0, orphansOnly: false };
      const signals = buildSignals([sample], config);
      const row = modelOf(h).row;
      return [eventLine(fire(row), signals, config), eventLine(recovery(h, 3), signals, config)].join('\n');
    },
  },
  {
    name: 'CLI kill prompt and outcome lines',
    kind: 'text',
    maxChars: 4000,
    render: async (h) => {
      const root = mkdtempSync(join(tmpdir(), 'pw-sink-kill-'));
      try {
        writeFakeProcess(root, {
          pid: 4242,
          ppid: 1,
          comm: h.slice(0, 64),
          argv: ['pytest', h, h],
          starttime: 5,
        });
        writeFakeProcess(root, { pid: 4300, ppid: 4242, comm: 'x', argv: [h], starttime: 6 });
        const lines: string[] = [];
        const io: KillIo = {
          stdout: (l) => void lines.push(l),
          stderr: (l) => void lines.push(l),
          interactive: true,
          prompt: (q) => {
            lines.push(q);
            return Promise.resolve('y');
          },
        };
        await killCommand(['4242:5', '--tree', '--proc-root', root, '--grace-seconds', '0'], io, {
          protectedPids: () => Promise.resolve(new Set([4300])),
          signal: (pid) => removeFakeProcess(root, pid),
        });
        return lines.join('\n');
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  },
];

/** Every link a message or Markdown text would render: label and target. */
const links = (text: string): { label: string; target: string }[] =>
  [...text.matchAll(/\[([^\]]+)\]\(([^)\s]+)/g)].map((m) => ({ label: m[1]!, target: m[2]! }));

describe('every text sink, fed hostile strings', () => {
  it('covers every kind of place that shows outside text', () => {
    const names = SINKS.map((s) => s.name).join('\n');
    for (const place of [
      'tree row label',
      'tree row description',
      'tree row tooltip',
      'status-bar tooltip',
      'notification',
      'kill modal',
      'SIGKILL question',
      'Copy Report',
      'settings warning',
      'log line',
      'CLI scan table',
      'CLI scan --json',
      'CLI watch',
      'CLI kill prompt',
    ])
      expect(names).toContain(place);
  });

  describe.each(SINKS.map((s) => [s.name, s] as const))('%s', (_name, sink) => {
    it.each(
      HOSTILE.map((h) => [JSON.stringify(h.slice(0, 40)) + (h.length > 40 ? `… (${h.length})` : ''), h]),
    )('%s', async (_label, h) => {
      const out = await sink.render(h);
      expect(typeof out).toBe('string');
      expect(FORBIDDEN.exec(out)?.[0]).toBeUndefined();
      expect(out.length).toBeLessThanOrEqual(sink.maxChars);
      const interpreted = sink.kind === 'markdown' ? outsideCodeSpans(out) : out;
      if (sink.kind !== 'text') {
        // The only links are ours: the live notification's actions, the status bar's commands.
        for (const link of links(interpreted)) expect(link.target).toMatch(OUR_LINK_TARGET);
        expect(
          LINK_RE.exec(interpreted.replace(/\[[^\]]+\]\(command:procWatchdog\.[^)\s]*\)/g, ''))?.[0],
        ).toBeUndefined();
      }
      if (sink.kind === 'markdown') expect(interpreted).not.toMatch(/<[a-z/!]/i);
    });
  });

  it('the sinks still show the harmless text (sanitizing is not blanking)', () => {
    const { row, model } = modelOf('tests/test_merge_gate.py');
    expect(row.label).toContain('gate.py');
    expect(rowTooltip(row, false).value).toContain('tests/test_merge_gate.py');
    expect(markdownReport(model, 'host')).toContain('tests/test_merge_gate.py');
    const live = liveText(LINK, (m) => m.all.map(fire));
    expect(live).toContain('Fix now');
    expect(live).not.toContain('[Fix now](command:');
    expect(links(live).map((l) => l.label)).toEqual(['Show', 'Kill…', 'Snooze…']);
  });
});
