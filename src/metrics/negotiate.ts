// Which exposition format a scraper asked for, from its Accept header. prom-client renders
// both formats but does not negotiate, so this small part is ours. Prometheus 2.x sends
//   application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,
//   text/plain;version=0.0.4;q=0.5,*/*;q=0.1
// OpenMetrics is served when it is acceptable (q > 0) and preferred at least as much as the
// classic text format; everything else (no header, curl's */*, text/plain) gets the classic one.
import type { ExpositionFormat } from './registry';

/** Longest Accept header looked at; a longer one is cut there (bounded work per scrape). */
const MAX_ACCEPT_CHARS = 2048;

export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || accept === '') return 'prometheus';
  let openMetricsQ = 0;
  let classicQ = 0;
  for (const range of accept.slice(0, MAX_ACCEPT_CHARS).split(',')) {
    const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
    const q = quality(params);
    if (type === 'application/openmetrics-text') openMetricsQ = Math.max(openMetricsQ, q);
    else if (type === 'text/plain' || type === 'text/*' || type === '*/*') classicQ = Math.max(classicQ, q);
  }
  return openMetricsQ > 0 && openMetricsQ >= classicQ ? 'openmetrics' : 'prometheus';
}

function quality(params: readonly string[]): number {
  for (const p of params) {
    if (!p.startsWith('q=')) continue;
    const q = Number(p.slice(2));
    return Number.isFinite(q) && q >= 0 && q <= 1 ? q : 0;
  }
  return 1;
}
