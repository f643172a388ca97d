import { describe, expect, it } from 'vitest';
import type { ProcessSample } from '../../../src/proc/types';
import { describeProcess } from '../../../src/cli/describe';
import { makeSample } from '../../helpers/samples';

function sample(over: Partial<ProcessSample> = {}): ProcessSample {
  return makeSample({
    comm: 'python3',
    argv: ['/venv/bin/python3', '-m', 'pytest', '-x', 'tests/unit'],
    ageSeconds: 2 * 3600 + 14 * 60,
    ...over,
  });
}

const every60 = { ageMinutes: 60, orphansOnly: false };

describe('describeProcess (the terminal words for FIRE / REMIND and scan --json)', () => {
  it('names the command, age, reaper and what to do', () => {
    const s = describeProcess(sample(), every60);
    expect(s).toContain('pytest -x tests/unit (PID 4242)');
    expect(s).toContain('2h 14m');
    expect(s).toContain('orphaned onto tini (PID 1)');
    expect(s).toMatch(/kill it/);
  });

  it('for a non-orphan names its parent and the threshold', () => {
    const s = describeProcess(
      sample({ orphaned: false, ppid: 99, parent: { pid: 99, comm: 'bash' } }),
      every60,
    );
    expect(s).toContain('under bash (PID 99)');
    expect(s).toContain('over the 1h threshold');
  });

  it('says why an inactive match is not blocking', () => {
    const young = sample({ ageSeconds: 30, orphaned: false, parent: { pid: 5, comm: 'bash' } });
    expect(describeProcess(young, every60)).toContain('Not blocking');
    const attached = sample({ orphaned: false, parent: { pid: 5, comm: 'bash' } });
    expect(describeProcess(attached, { ageMinutes: 60, orphansOnly: true })).toContain(
      'its launcher is alive',
    );
  });

  it('ppid 0 without a readable parent says the parent is outside the namespace', () => {
    const s = describeProcess(sample({ ppid: 0, parent: null }), { ageMinutes: 1, orphansOnly: false });
    expect(s).toContain('outside this PID namespace');
  });
});
