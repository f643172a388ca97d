import { describe, expect, it } from 'vitest';
import {
  emptyAnnounced,
  filterAnnounced,
  MAX_ANNOUNCED,
  parseAnnounced,
} from '../../../src/coordination/leaderAnnounced';
import type { AlertEvent } from '../../../src/watchdog/types';
import { fireEvent, recoveryEvent, remindEvent } from '../../helpers/alertEvents';

const fire = (pid: number): AlertEvent => fireEvent(pid, 1);
const remind = (pid: number): AlertEvent => remindEvent(pid, 1);
const recovery = (pid: number): AlertEvent => recoveryEvent(pid, 1, 'exited');
const COOLDOWN = 1800;

describe('filterAnnounced', () => {
  it('shows a first fire and remembers it; a later fire for the same key (another window) is dropped', () => {
    const a = filterAnnounced(emptyAnnounced(), [fire(1)], 1000, COOLDOWN);
    expect(a.events).toEqual([fire(1)]);
    expect(a.next.announced).toEqual({ '1:1': 1000 });
    const b = filterAnnounced(a.next, [fire(1), fire(2)], 1030, COOLDOWN);
    expect(b.events).toEqual([fire(2)]);
  });

  it('shows a remind only once the cooldown passed since the last announcement by any window', () => {
    const s = filterAnnounced(emptyAnnounced(), [fire(1)], 1000, COOLDOWN).next;
    expect(filterAnnounced(s, [remind(1)], 1000 + COOLDOWN - 1, COOLDOWN).events).toEqual([]);
    const r = filterAnnounced(s, [remind(1)], 1000 + COOLDOWN, COOLDOWN);
    expect(r.events).toEqual([remind(1)]);
    expect(r.next.announced['1:1']).toBe(1000 + COOLDOWN);
  });

  it('shows a recovery only for announced keys, then forgets the key', () => {
    const s = filterAnnounced(emptyAnnounced(), [fire(1)], 1000, COOLDOWN).next;
    const r = filterAnnounced(s, [recovery(1), recovery(2)], 1100, COOLDOWN);
    expect(r.events).toEqual([recovery(1)]);
    expect(r.next.announced).toEqual({});
  });

  it('forgets everything after a reboot (boot clock far behind the last write), not on small skew', () => {
    const s = filterAnnounced(emptyAnnounced(), [fire(1)], 100_000, COOLDOWN).next;
    expect(filterAnnounced(s, [fire(1)], 99_990, COOLDOWN).events).toEqual([]);
    expect(filterAnnounced(s, [fire(1)], 50, COOLDOWN).events).toEqual([fire(1)]);
  });

  it(`keeps at most ${MAX_ANNOUNCED} keys, dropping the oldest`, () => {
    const announced: Record<string, number> = {};
    for (let i = 0; i < MAX_ANNOUNCED; i++) announced[`${i + 10}:1`] = i;
    const r = filterAnnounced(
      { version: 1, uptimeSeconds: MAX_ANNOUNCED, announced },
      [fire(1)],
      MAX_ANNOUNCED + 1,
      COOLDOWN,
    );
    expect(Object.keys(r.next.announced)).toHaveLength(MAX_ANNOUNCED);
    expect(r.next.announced['10:1']).toBeUndefined();
    expect(r.next.announced['1:1']).toBe(MAX_ANNOUNCED + 1);
  });
});

describe('parseAnnounced', () => {
  it.each([
    null,
    'x',
    [],
    {},
    { version: 2, uptimeSeconds: 1, announced: {} },
    { version: 1, uptimeSeconds: 'a', announced: {} },
  ])('treats %j as empty', (v) => {
    expect(parseAnnounced(v)).toEqual(emptyAnnounced());
  });
  it('keeps valid keys and drops malformed ones', () => {
    expect(
      parseAnnounced({ version: 1, uptimeSeconds: 5, announced: { '1:2': 3, bad: 4, '3:4': 'x' } }),
    ).toEqual({
      version: 1,
      uptimeSeconds: 5,
      announced: { '1:2': 3 },
    });
  });
});
