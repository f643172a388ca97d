import { describe, expect, it } from 'vitest';
import { defaultFdCapacity, parseSoftNofile } from '../../../src/proc/fdLimit';
import { readProcessIdentity, readProcessIdentitySync } from '../../../src/proc/readProcess';
import { FIXTURE_ROOT } from '../../helpers/procFixture';

describe('readProcessIdentity (async and sync)', () => {
  for (const [name, read] of [
    ['async', readProcessIdentity],
    ['sync', async (root: string, pid: number) => readProcessIdentitySync(root, pid)],
  ] as const) {
    it(`${name}: reads pid, starttime, ppid, comm, state and argv fresh`, async () => {
      expect(await read(FIXTURE_ROOT, 100)).toEqual({
        kind: 'ok',
        pid: 100,
        starttime: 400000,
        ppid: 1,
        comm: 'python3',
        state: 'R',
        argv: ['python3', '-m', 'pytest', 'tests/', '-x'],
      });
    });

    it(`${name}: classifies instead of throwing`, async () => {
      expect(await read(FIXTURE_ROOT, 104)).toEqual({ kind: 'vanished' }); // stat gone
      expect(await read(FIXTURE_ROOT, 4_000_000)).toEqual({ kind: 'vanished' }); // no such pid
      expect(await read(FIXTURE_ROOT, 105)).toMatchObject({ kind: 'malformed' }); // truncated stat
      expect(await read(FIXTURE_ROOT, 0)).toMatchObject({ kind: 'malformed' });
      expect(await read(FIXTURE_ROOT, 1.5)).toMatchObject({ kind: 'malformed' });
    });

    it(`${name}: reads the real /proc for this very process`, async () => {
      const me = await read('/proc', process.pid);
      expect(me).toMatchObject({ kind: 'ok', pid: process.pid, ppid: process.ppid });
    });
  }
});

describe('fd cache capacity from RLIMIT_NOFILE', () => {
  const limits = (soft: string): string =>
    `Limit                     Soft Limit           Hard Limit           Units     \nMax open files            ${soft}                20000                files     \n`;
  it.each<[string, number | null]>([
    ['1024', 1024],
    ['20000', 20000],
    ['unlimited', Number.MAX_SAFE_INTEGER],
    ['lots', null],
  ])('parses a soft limit of %j', (soft, expected) => {
    expect(parseSoftNofile(limits(soft))).toBe(expected);
  });

  it('gives null without a Max open files line', () => {
    expect(parseSoftNofile('')).toBeNull();
  });

  it('keeps at most half the soft limit, capped at 4096', () => {
    expect(defaultFdCapacity('/nonexistent')).toBe(512);
    expect(defaultFdCapacity('/proc/self/limits')).toBeGreaterThan(0);
  });
});
