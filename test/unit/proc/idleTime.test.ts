// How long an idle process's CPU time has not moved: pure, with explicit uptimes.
import { describe, expect, it } from 'vitest';
import { idleSecondsOf, quietSince } from '../../../src/proc/activity';
import type { CpuReading } from '../../../src/proc/activity';

/** The reading activityOf keeps for the next scan. */
function read(prev: CpuReading | undefined, cpuTicks: number, atSeconds: number): CpuReading {
  const now = { cpuTicks, atSeconds };
  return { ...now, demandNs: null, quietSinceSeconds: quietSince(prev, now) };
}

describe('idle time', () => {
  it('counts from the last scan the ticks moved, across scans', () => {
    const first = read(undefined, 500, 1000);
    expect(idleSecondsOf('idle', undefined, first)).toBeNull(); // first sight: nothing to tell
    const moved = read(first, 520, 1002);
    expect(moved.quietSinceSeconds).toBe(1002);
    expect(idleSecondsOf('idle', first, moved)).toBe(0);
    let prev = moved;
    for (let t = 1004; t <= 3402; t += 2) prev = read(prev, 520, t);
    expect(idleSecondsOf('idle', moved, prev)).toBe(2400); // 40 minutes
    const woke = read(prev, 521, 3404);
    expect(idleSecondsOf('idle', prev, woke)).toBe(0);
    expect(idleSecondsOf('idle', woke, read(woke, 521, 3464.9))).toBe(60);
  });

  it('is a lower bound when it never moved while watched: since watching began', () => {
    const first = read(undefined, 7, 100);
    expect(idleSecondsOf('idle', first, read(first, 7, 160))).toBe(60);
  });

  it('is null unless idle', () => {
    const first = read(undefined, 7, 100);
    const later = read(first, 7, 900);
    for (const v of ['spinning', 'busy', 'stopped', 'zombie', 'uninterruptible', 'unknown'] as const)
      expect(idleSecondsOf(v, first, later)).toBeNull();
  });

  it('a one-shot scan: its first reading knows no quiet time, so none is claimed', () => {
    const first: CpuReading = { cpuTicks: 7, atSeconds: 100, demandNs: null, quietSinceSeconds: null };
    const second = read(first, 7, 100.5);
    expect(second.quietSinceSeconds).toBeNull();
    expect(idleSecondsOf('idle', first, second)).toBeNull();
    expect(idleSecondsOf('idle', first, read(first, 8, 100.5))).toBe(0); // it did just run
  });

  it('a clock that steps back never gives a negative time', () => {
    const first = read(undefined, 7, 100);
    const second = read(first, 7, 200);
    expect(idleSecondsOf('idle', second, { atSeconds: 50, quietSinceSeconds: 100 })).toBe(0);
  });
});
