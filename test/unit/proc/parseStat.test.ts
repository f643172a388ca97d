import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStat } from '../../../src/proc/parseStat';
import { statLine } from '../../helpers/fakeProcTree';

describe('parseStat', () => {
  it('reads a real init line (this machine, pid 1)', () => {
    const line =
      '1 (process_api) S 0 0 0 0 -1 4194560 23730 2097610 0 649 342 711 5357 5203 10 -10 13 0 21 43454464 3115 18446744073709551615 1 1 0 0 0 0 0 4096 1256 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
    expect(parseStat(line)).toEqual({
      ok: true,
      value: {
        pid: 1,
        comm: 'process_api',
        state: 'S',
        ppid: 0,
        pgrp: 0,
        session: 0,
        utimeTicks: 342,
        stimeTicks: 711,
        starttime: 21,
        rssPages: 3115,
        numThreads: 13,
      },
    });
  });

  it('reads a kernel thread (rss 0)', () => {
    const line =
      '2 (kthreadd) S 0 0 0 0 -1 2129984 0 0 0 0 0 0 0 0 20 0 1 0 21 0 0 18446744073709551615 0 0 0 0 0 0 0 2147483647 0 1 0 0 0 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
    const result = parseStat(line);
    expect(result.ok && result.value).toMatchObject({
      pid: 2,
      comm: 'kthreadd',
      ppid: 0,
      starttime: 21,
      rssPages: 0,
    });
  });

  // comm is between the FIRST '(' and the LAST ')'.
  it.each([
    ['(a b ) ( c d) ', 'prometheus/procfs pid 584'],
    [':-) 1 2 3 4 5 6', 'procps warning: a smiley and fake numbers'],
    ['x) S 9 (y', 'close paren followed by a fake state and ppid'],
    ['two\nlines', 'a newline (prctl PR_SET_NAME allows it)'],
    ['', 'an empty comm'],
    ['python3 ', 'trailing space'],
    ['Ünïcödé', 'non-ASCII'],
  ])('keeps the odd comm %j (%s)', (comm) => {
    const result = parseStat(
      statLine({
        pid: 584,
        comm,
        state: 'S',
        ppid: 7,
        pgid: 0,
        sid: 0,
        utimeTicks: 1,
        stimeTicks: 2,
        starttime: 333,
        rssPages: 44,
      }),
    );
    expect(result).toEqual({
      ok: true,
      value: {
        pid: 584,
        comm,
        state: 'S',
        ppid: 7,
        pgrp: 0,
        session: 0,
        utimeTicks: 1,
        stimeTicks: 2,
        starttime: 333,
        rssPages: 44,
        numThreads: 1,
      },
    });
  });

  it.each([
    ['', 'empty file'],
    ['123', 'no comm'],
    ['123 (sleep', 'no closing paren'],
    ['123 (sleep) S 1 1 1 0 -1\n', 'too few fields: ends before field 14'],
    ['123 (sleep) S 1 1 1 0 -1 4194560 0 0 0 0 5 5 0 0 20 0 1 0 100\n', 'ends before field 22'],
    ['123 (sleep) S 1 1 1 0 -1 4194560 0 0 0 0 5 5 0 0 20 0 1 0 100 0\n', 'ends before field 24'],
    ['123 (sleep) S 1 1 1 0 -1 4194560 0 0 0 0 5 5 0 0 20 0 1 0 100 0 12', 'cut mid-line (no final newline)'],
    ['abc (sleep) S 1\n', 'pid not a number'],
    [' (sleep) S 1\n', 'empty pid'],
  ])('rejects %j (%s)', (text) => {
    expect(parseStat(text).ok).toBe(false);
  });

  // A well-formed line the next tests break in one place each.
  const good = statLine({
    pid: 9,
    comm: 'p',
    ppid: 1,
    utimeTicks: 1,
    stimeTicks: 1,
    starttime: 5,
    rssPages: 1,
  });

  it('rejects empty fields instead of reading them as 0 (Number("") === 0)', () => {
    const emptyPpid = good.replace('9 (p) S 1 ', '9 (p) S  ');
    expect(parseStat(emptyPpid).ok).toBe(false);
    expect(parseStat(good.replace(' 5 12000000', '  12000000')).ok).toBe(false);
  });

  it('rejects a non-numeric starttime and a multi-letter state', () => {
    expect(parseStat(good.replace(' 5 12000000', ' 5x 12000000')).ok).toBe(false);
    expect(parseStat(good.replace('(p) S ', '(p) SS ')).ok).toBe(false);
  });

  it('round-trips generated valid lines (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          pid: fc.integer({ min: 1, max: 4_194_304 }),
          // Any comm the kernel can hold: up to 15 bytes, no NUL.
          comm: fc.string({ maxLength: 15 }).filter((s) => !s.includes('\0')),
          state: fc.constantFrom('R', 'S', 'D', 'Z', 'T', 't', 'X', 'I'),
          ppid: fc.integer({ min: 0, max: 4_194_304 }),
          pgid: fc.integer({ min: 0, max: 4_194_304 }),
          sid: fc.integer({ min: 0, max: 4_194_304 }),
          threads: fc.integer({ min: 1, max: 100_000 }),
          utimeTicks: fc.nat(),
          stimeTicks: fc.nat(),
          starttime: fc.maxSafeNat(),
          rssPages: fc.nat(),
        }),
        (f) => {
          expect(parseStat(statLine(f))).toEqual({
            ok: true,
            value: {
              pid: f.pid,
              comm: f.comm,
              state: f.state,
              ppid: f.ppid,
              pgrp: f.pgid,
              session: f.sid,
              utimeTicks: f.utimeTicks,
              stimeTicks: f.stimeTicks,
              starttime: f.starttime,
              rssPages: f.rssPages,
              numThreads: f.threads,
            },
          });
        },
      ),
    );
  });

  it('never throws on arbitrary text, and rejects every strict prefix of a valid line (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const result = parseStat(text);
        expect(typeof result.ok).toBe('boolean');
      }),
    );
    const line = statLine({ pid: 9, comm: 'a) b', ppid: 1, starttime: 5, rssPages: 1 });
    expect(parseStat(line).ok).toBe(true);
    // Cut anywhere, even right after field 24 (its "1" could be the start of "1234").
    for (let cut = 0; cut < line.length; cut++) expect(parseStat(line.slice(0, cut)).ok).toBe(false);
  });
});

describe('parseStat: the run fields', () => {
  it('reads pgrp (field 5), session (field 6) and num_threads (field 20) of a real xdist worker line', () => {
    // An xdist worker after its launcher died: pgrp and session still name the launcher's.
    const line =
      '15393 (python3) S 15380 15377 8744 0 -1 4194304 900 0 0 0 120 14 0 0 20 0 3 0 5066 31000000 5000 18446744073709551615 1 1 0 0 0 0 0 16781312 2 0 0 0 17 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n';
    const result = parseStat(line);
    expect(result.ok && result.value).toMatchObject({
      ppid: 15380,
      pgrp: 15377,
      session: 8744,
      numThreads: 3,
    });
  });

  it('rejects a non-numeric session', () => {
    const line = '9 (p) S 1 9 x 0 -1 0 0 0 0 0 1 1 0 0 20 0 1 0 5 0 1\n';
    expect(parseStat(line).ok).toBe(false);
  });
});
