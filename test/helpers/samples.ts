// One factory for the ProcessSample every pipeline test needs: a pytest orphaned onto tini.
// Tests override only the fields they are about.
import type { ProcessSample } from '../../src/proc/types';

export function makeSample(over: Partial<ProcessSample> = {}): ProcessSample {
  return {
    pid: 4242,
    starttime: 123456,
    ppid: 1,
    comm: 'pytest',
    state: 'S',
    argv: ['pytest', '-x'],
    ageSeconds: 4000,
    cpuSeconds: 0,
    rssBytes: null,
    uid: null,
    nspid: null,
    containerId: null,
    cwd: null,
    parent: { pid: 1, comm: 'tini' },
    orphaned: true,
    pattern: 'pytest',
    sid: 4242,
    pgid: 4242,
    threads: 1,
    ...over,
  };
}
