// promtool (Debian's prometheus package) on the shipped rules and on the exporter's output:
// `promtool check rules`, `promtool test rules` (deploy/prometheus/rules.test.yml), and
// `promtool check metrics` on both exposition formats of a real scan with a real orphan.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killStarted, spawnOrphan } from '../helpers/realProcs';
import { BIN, childEnv, cliBundle, requireEngine, tempDir } from './engines';

const DEPLOY = resolve(__dirname, '../../deploy/prometheus');
const dir = tempDir('pw-promtool-');
let cli = '';

function promtool(args: string[], input?: string) {
  const r = spawnSync(BIN.promtool, args, { input, encoding: 'utf8', cwd: DEPLOY, timeout: 60_000 });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

function exporterOutput(args: string[]): string {
  const r = spawnSync(process.execPath, [cli, 'metrics', '--age-min', '0', '--expose-cmdline', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
    env: childEnv(),
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  requireEngine(BIN.promtool);
  cli = await cliBundle(dir.path);
  // A blocking process, so the per-process series (and the info series) are in the output.
  await spawnOrphan('exec -a pytest sleep 300');
}, 60_000);

afterAll(() => {
  killStarted();
  dir.cleanup();
});

describe('promtool', () => {
  it('check rules: deploy/prometheus/rules.yml', () => {
    const r = promtool(['check', 'rules', 'rules.yml']);
    expect(r.out).toContain('SUCCESS: 3 rules found');
    expect(r.code).toBe(0);
  });

  it('test rules: deploy/prometheus/rules.test.yml (ProcBlocking, down, stale)', () => {
    const r = promtool(['test', 'rules', 'rules.test.yml']);
    expect(r.out).toContain('SUCCESS');
    expect(r.code).toBe(0);
  });

  it('check metrics: the classic text format passes with no finding', () => {
    const text = exporterOutput([]);
    expect(text).toMatch(/proc_watchdog_process_age_seconds\{key="\d+:\d+",program="pytest"/);
    expect(text).toMatch(/proc_watchdog_process_info\{.*cmdline="pytest 300"\} 1/);
    const r = promtool(['check', 'metrics'], text);
    expect(r.out).toBe('');
    expect(r.code).toBe(0);
  });

  it('check metrics: OpenMetrics parses; the only findings are promtool reading OpenMetrics counters as classic text', () => {
    const text = exporterOutput(['--openmetrics']);
    expect(text.endsWith('# EOF\n')).toBe(true);
    const r = promtool(['check', 'metrics'], text);
    // promtool check metrics (2.42, and later ones) lints with the classic text parser: an
    // OpenMetrics counter family `x` (TYPE and HELP without _total, as the OpenMetrics spec
    // requires) with its sample `x_total` reads there as an untyped `x_total` without help.
    // Everything else must pass; a parse error (exit 1) or any other finding fails. Prometheus
    // itself scrapes this format in test/real/prometheus.test.ts without error.
    const counters = [...text.matchAll(/^# TYPE (\S+) counter$/gm)].map((m) => m[1]);
    expect(counters.length).toBeGreaterThan(0);
    const findings = r.out.split('\n').filter((l) => l.trim() !== '');
    expect(findings.sort()).toEqual(counters.map((c) => `${c}_total no help text`).sort());
    expect(r.code).toBe(3);
    // And the same text, with counter families named as the classic format names them, passes.
    const classicNames = text.replace(
      /^# (HELP|TYPE) (\S+)( .*counter$| )/gm,
      (line, kind: string, name: string, rest: string) =>
        counters.includes(name) ? `# ${kind} ${name}_total${rest}` : line,
    );
    expect(promtool(['check', 'metrics'], classicNames.replace('# EOF\n', '')).out).toBe('');
  });
});
