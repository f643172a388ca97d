import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runBench } from '../../../src/cli/bench';
import { nodeProcFs } from '../../../src/proc/procFs';
import { ReadBuffer } from '../../../src/proc/readBuffer';
import { FIXTURE_ROOT } from '../../helpers/procFixture';

const dir = mkdtempSync(join(tmpdir(), 'read-buffer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ReadBuffer', () => {
  it('reads files larger than its buffer whole (a 200 KB command line), by path and by kept fd', () => {
    const big = Buffer.alloc(200 * 1024, 'a');
    const path = join(dir, 'big');
    writeFileSync(path, big);
    const reader = new ReadBuffer(1024);
    expect(reader.readPath(nodeProcFs, path).equals(big)).toBe(true);
    const fd = openSync(path, 'r');
    try {
      expect(reader.readFd(nodeProcFs, fd, true).equals(big)).toBe(true);
      expect(reader.readFd(nodeProcFs, fd, true).equals(big)).toBe(true); // again from position 0
    } finally {
      closeSync(fd);
    }
  });

  it('returns exactly the bytes of each read, whatever was read before', () => {
    const reader = new ReadBuffer(64);
    const long = join(dir, 'long');
    const short = join(dir, 'short');
    writeFileSync(long, 'pytest\0-x\0tests/\0');
    writeFileSync(short, 'ab\0');
    expect(reader.readPath(nodeProcFs, long).toString()).toBe('pytest\0-x\0tests/\0');
    expect(reader.readPath(nodeProcFs, short).toString()).toBe('ab\0');
    expect(reader.readPath(nodeProcFs, short).indexOf('pytest')).toBe(-1); // no stale bytes seen
    writeFileSync(short, '');
    expect(reader.readPath(nodeProcFs, short).length).toBe(0);
  });
});

describe('runBench', () => {
  it('times a cold and N steady scans of a proc root with the real matcher', async () => {
    const result = await runBench({ procRoot: FIXTURE_ROOT, runs: 3 });
    expect(result).toMatchObject({ processes: 14, runs: 3, matched: 5 });
    for (const ms of [
      result.coldMs,
      result.scanMs.median,
      result.scanMs.p95,
      result.maxBlockMs,
      result.cpuMs.cold,
    ]) {
      expect(ms).toBeGreaterThan(0);
    }
    expect(result.scanMs.p95).toBeGreaterThanOrEqual(result.scanMs.median);
    expect(result.coldWarmJit.ms).toBeGreaterThan(0);
  });

  it('uses the patterns it is given, and rejects a root it cannot scan', async () => {
    expect((await runBench({ procRoot: FIXTURE_ROOT, runs: 1, patterns: ['vim'] })).matched).toBe(1);
    await expect(runBench({ procRoot: '/nonexistent', runs: 1 })).rejects.toThrow(/nonexistent/);
  });
});
