import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KeptFiles } from '../../../src/proc/keptFiles';
import type { ProcFs } from '../../../src/proc/procFs';
import { recordingFs } from '../../helpers/recordingFs';

describe('KeptFiles', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kept-'));
  const file = join(dir, 'schedstat');
  const buffer = Buffer.alloc(64);

  it('opens once, then re-reads at offset 0; closes what a scan did not read; keeps at most its capacity', () => {
    const fs = recordingFs();
    const kept = new KeptFiles(fs, 1);
    writeFileSync(file, '1 2 3\n');
    expect(kept.read(file, file, buffer)).toBe('1 2 3\n');
    writeFileSync(file, '4 5 6\n');
    expect(kept.read(file, file, buffer)).toBe('4 5 6\n');
    expect(fs.count(file)).toBe(1); // one open
    writeFileSync(join(dir, 'other'), 'x');
    kept.read('other', join(dir, 'other'), buffer); // over capacity: opened and closed
    expect(kept.size).toBe(1);
    kept.nextScan();
    kept.nextScan(); // a scan that did not read it
    expect(kept.size).toBe(0);
  });

  it('a kept fd that fails (ESRCH: its task is gone) is dropped and the path opened afresh', () => {
    let failNext = false;
    const base = recordingFs();
    const fs: ProcFs = {
      ...base,
      readSync: (fd, b, o, l, p) => {
        if (failNext) {
          failNext = false;
          throw Object.assign(new Error('ESRCH'), { code: 'ESRCH' });
        }
        return base.readSync(fd, b, o, l, p);
      },
    };
    const kept = new KeptFiles(fs, 8);
    writeFileSync(file, 'a\n');
    kept.read(file, file, buffer);
    failNext = true;
    writeFileSync(file, 'b\n');
    expect(kept.read(file, file, buffer)).toBe('b\n');
    expect(base.count(file)).toBe(2);
    kept.clear();
    rmSync(dir, { recursive: true, force: true });
  });
});
