// Which of several extension hosts on one machine may raise notifications. Pure: the lease
// record is read and written by src/coordination/leaderLock.ts; here only the decision lives, so
// it can be tested with explicit times and no fs.
import * as z from 'zod/mini';

/** The lease as stored on disk: who leads and when it last said so (wall clock, ms). */
export interface LeaseRecord {
  readonly ownerId: string;
  readonly heartbeatMs: number;
}

export type LeadershipDecision =
  /** Write a lease for me: none exists, mine, or the owner stopped heartbeating. */
  | { readonly kind: 'lead'; readonly takeover: boolean }
  /** Someone else holds a live lease. */
  | { readonly kind: 'follow'; readonly ownerId: string };

/**
 * Decide whether `me` leads, given the current lease (null when there is none).
 * A lease is stale when its heartbeat is older than `staleMs`, or more than `staleMs` in the
 * future: the wall clock can jump back (NTP, suspend), and a lease stamped "in the future"
 * must not lock everyone out until the clock catches up.
 */
export function decideLeadership(
  lease: LeaseRecord | null,
  me: string,
  nowMs: number,
  staleMs: number,
): LeadershipDecision {
  if (lease === null) return { kind: 'lead', takeover: false };
  if (lease.ownerId === me) return { kind: 'lead', takeover: false };
  const ageMs = nowMs - lease.heartbeatMs;
  if (ageMs > staleMs || ageMs < -staleMs) return { kind: 'lead', takeover: true };
  return { kind: 'follow', ownerId: lease.ownerId };
}

const leaseSchema = z.object({
  ownerId: z.string().check(z.minLength(1)),
  heartbeatMs: z.number(),
});

/**
 * Parse a lease file's text with zod, like the rest of the stored state; anything odd counts as
 * no lease (a torn write or another program's file must not wedge the election).
 */
export function parseLease(text: string | null): LeaseRecord | null {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = z.safeParse(leaseSchema, value);
  if (!parsed.success || !Number.isFinite(parsed.data.heartbeatMs)) return null;
  return { ownerId: parsed.data.ownerId, heartbeatMs: parsed.data.heartbeatMs };
}
