import { describe, expect, it } from 'vitest';
import { Lineage, MAX_BASETEMPS, MAX_LINEAGE_ENTRIES } from '../../../src/proc/lineage';

const member = (pid: number, over = {}) => ({
  pid,
  starttime: pid * 10,
  run: '1:1',
  pattern: 'pytest',
  basetemp: null,
  testDir: null,
  ...over,
});

describe('Lineage', () => {
  it('is bounded: the least recently seen go first', () => {
    const l = new Lineage('b');
    for (let pid = 1; pid <= MAX_LINEAGE_ENTRIES + 10; pid++) l.remember(member(pid), pid);
    expect(l.size).toBe(MAX_LINEAGE_ENTRIES);
    expect(l.get({ pid: 1, starttime: 10 })).toBeUndefined();
    expect(
      l.get({ pid: MAX_LINEAGE_ENTRIES + 10, starttime: (MAX_LINEAGE_ENTRIES + 10) * 10 }),
    ).toBeDefined();
    for (let i = 0; i < MAX_BASETEMPS + 5; i++) l.addBasetemp(`/bt/${i}`);
    expect(l.basetemps).toHaveLength(MAX_BASETEMPS);
  });

  it('keeps what an earlier scan saw when a later one sees less', () => {
    const l = new Lineage(null);
    l.remember(member(5, { basetemp: '/tmp/pytest-of-u/pytest-1', testDir: 't0' }), 1);
    l.remember(member(5), 2);
    expect(l.get({ pid: 5, starttime: 50 })).toMatchObject({
      basetemp: '/tmp/pytest-of-u/pytest-1',
      testDir: 't0',
      seenAt: 2,
    });
  });

  it('round-trips through JSON in the same boot, and only there', () => {
    const l = new Lineage('boot');
    l.remember(member(7), 3);
    l.addBasetemp('/w/bt');
    const json = JSON.parse(JSON.stringify(l.toState())) as unknown;
    const back = Lineage.fromState(json, 'boot');
    expect(back.toState()).toEqual(l.toState());
    expect(Lineage.fromState(json, 'other').size).toBe(0);
  });

  it('drops invalid entries one by one', () => {
    const state = {
      version: 1,
      bootId: null,
      entries: [
        { ...member(1), seenAt: 1 },
        { ...member(2), seenAt: 1, run: 'x' },
        { ...member(3), seenAt: 1, basetemp: 'relative' },
        { ...member(4), seenAt: 1, pid: 1.5 },
        member(5), // no seenAt
      ],
      basetemps: ['/ok', 'rel', 7],
    };
    const l = Lineage.fromState(state, null);
    expect(l.all().map((e) => e.pid)).toEqual([1]);
    expect(l.basetemps).toEqual(['/ok']);
  });
});
