// Pure parser for /proc/<pid>/status. Never throws.
import { fail, ok } from './parseResult';
import type { ParseResult } from './parseResult';

export interface StatusFields {
  ppid: number | null;
  /** Real uid (first of the four Uid: columns). */
  uid: number | null;
  /** NSpid: this pid in each nested pid namespace, outermost first (kernel ≥ 4.1). */
  nspid: number[] | null;
  vmRssKb: number | null;
}

function intOrNull(value: string | undefined): number | null {
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

/**
 * `Key:\tvalue` lines, split on the FIRST colon only (values may contain colons). A field that
 * is absent (kernel threads have no VmRSS) or malformed is null rather than invented; the text
 * as a whole is rejected only when it has no `Key:` line at all.
 */
export function parseStatus(text: string): ParseResult<StatusFields> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    values.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  if (values.size === 0) return fail('status: no "Key: value" lines');

  const uidText = values.get('Uid')?.split(/\s+/)[0];
  const nspidText = values.get('NSpid');
  let nspid: number[] | null = null;
  if (nspidText !== undefined) {
    const parts = nspidText.split(/\s+/).map(intOrNull);
    nspid = parts.length > 0 && parts.every((p) => p !== null) ? (parts as number[]) : null;
  }
  const rss = /^(\d+)\s*kB$/.exec(values.get('VmRSS') ?? '');
  return ok({
    ppid: intOrNull(values.get('PPid')),
    uid: intOrNull(uidText),
    nspid,
    vmRssKb: rss ? Number(rss[1]) : null,
  });
}
