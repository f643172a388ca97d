// Pure parser for /proc/uptime. Never throws.
import { fail, ok } from './parseResult';
import type { ParseResult } from './parseResult';

/** First field of /proc/uptime: seconds since boot (the clock stat's starttime is on). */
export function parseUptime(text: string): ParseResult<number> {
  const first = text.trim().split(/\s+/)[0] ?? '';
  if (!/^\d+(\.\d+)?$/.test(first)) return fail(`uptime: not a number: ${JSON.stringify(first)}`);
  return ok(Number(first));
}
