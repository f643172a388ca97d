// Pure parser for /proc/<pid>/status. Never throws.
import { fail, ok } from './parseResult';
import type { ParseResult } from './parseResult';

// Only the fields something uses (the parent comes from stat field 4, the RSS from field 24).
export interface StatusFields {
  /** Real uid (first of the four Uid: columns). */
  uid: number | null;
  /** NSpid: this pid in each nested pid namespace, outermost first (kernel ≥ 4.1). */
  nspid: number[] | null;
}

const UNSIGNED = /^\d+$/;

/**
 * The value of `key` in `Key:\tvalue` lines: the text after the FIRST colon of the line that
 * starts with `key:` (values may contain colons), trimmed; undefined when there is no such line.
 * Looks the keys up directly instead of splitting all ~55 lines: status is read for every
 * match on a cold scan.
 */
function valueOf(text: string, key: string): string | undefined {
  const needle = key + ':';
  let at = 0;
  if (!text.startsWith(needle)) {
    const newline = text.indexOf('\n' + needle);
    if (newline < 0) return undefined;
    at = newline + 1;
  }
  const end = text.indexOf('\n', at);
  return text.slice(at + needle.length, end < 0 ? text.length : end).trim();
}

function intOrNull(value: string | undefined): number | null {
  return value !== undefined && UNSIGNED.test(value) ? Number(value) : null;
}

/**
 * A field that is absent (NSpid before Linux 4.1) or malformed is null rather than
 * invented (`Number('')` is 0); the text as a whole is rejected only when it has no
 * `Key:` line at all.
 */
export function parseStatus(text: string): ParseResult<StatusFields> {
  if (!/^[^\n:]+:/m.test(text)) return fail('status: no "Key: value" lines');

  const nspidText = valueOf(text, 'NSpid');
  let nspid: number[] | null = null;
  if (nspidText !== undefined) {
    const parts = nspidText.split(/\s+/).map(intOrNull);
    nspid = parts.every((p) => p !== null) ? parts : null;
  }
  return ok({
    uid: intOrNull(valueOf(text, 'Uid')?.split(/\s+/)[0]),
    nspid,
  });
}
