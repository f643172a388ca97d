// The metric names the rules file and the README use are the ones the exporter exports, and
// they follow Prometheus's conventions (prefix, units, _total on counters only).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../src/metrics/registry';

const ROOT = resolve(__dirname, '../../..');
const exported = new Set<string>(Object.values(METRIC));
const mentioned = (text: string): string[] => [...new Set(text.match(/\bproc_watchdog_[a-z_]+\b/g) ?? [])];

describe('metric names', () => {
  it('every name in deploy/prometheus/rules.yml and its tests is exported', () => {
    for (const file of ['deploy/prometheus/rules.yml', 'deploy/prometheus/rules.test.yml']) {
      const names = mentioned(readFileSync(resolve(ROOT, file), 'utf8'));
      expect(names.length).toBeGreaterThan(0);
      expect(names.filter((n) => !exported.has(n))).toEqual([]);
    }
  });

  it('every full name in the README is exported', () => {
    const names = mentioned(readFileSync(resolve(ROOT, 'README.md'), 'utf8'));
    expect(names.filter((n) => !exported.has(n))).toEqual([]);
  });

  it('follows the naming conventions', () => {
    for (const name of exported) {
      expect(name).toMatch(/^proc_watchdog_[a-z_]+$/);
      const counter = [METRIC.processCpu, METRIC.scans, METRIC.scanErrors, METRIC.readErrors].includes(
        name as (typeof METRIC)['scans'],
      );
      expect(name.endsWith('_total')).toBe(counter);
      if (/duration|age|interval|threshold|timestamp|cpu/.test(name))
        expect(name).toMatch(/_seconds(?:_total)?$/);
    }
  });
});
