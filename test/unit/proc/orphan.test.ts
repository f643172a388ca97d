import { describe, expect, it } from 'vitest';
import { classifyError } from '../../../src/proc/errors';
import { DEFAULT_REAPERS, isOrphaned } from '../../../src/proc/orphan';

describe('isOrphaned', () => {
  it.each<[number, string | null, boolean]>([
    [1, null, true], // re-parented onto init
    [0, null, true], // parent outside this pid namespace
    [1, 'bash', true], // ppid 1 wins whatever its comm
    [42, 'tini', true],
    [42, 'docker-init', true],
    [42, 'dumb-init', true],
    [42, 'catatonit', true],
    [42, 's6-svscan', true],
    [42, 'systemd', true], // systemd --user subreaper has comm "systemd"
    [42, 'bash', false],
    [42, 'python3', false],
    [42, null, false], // parent unreadable: not proven orphaned
  ])('ppid %d, parent %j -> %s', (ppid, comm, expected) => {
    expect(isOrphaned(ppid, comm, DEFAULT_REAPERS)).toBe(expected);
  });

  it('uses the configured reapers, not the defaults', () => {
    expect(isOrphaned(42, 'tini', ['my-init'])).toBe(false);
    expect(isOrphaned(42, 'my-init', ['my-init'])).toBe(true);
  });
});

describe('classifyError', () => {
  const err = (code: string): Error => Object.assign(new Error(code), { code });
  it.each<[unknown, string]>([
    [err('ENOENT'), 'vanished'],
    [err('ESRCH'), 'vanished'],
    [err('EACCES'), 'denied'],
    [err('EPERM'), 'denied'],
    [err('EIO'), 'malformed'],
    [new Error('no code'), 'malformed'],
    [null, 'malformed'],
    ['a string', 'malformed'],
  ])('%s -> %s', (error, kind) => {
    expect(classifyError(error)).toBe(kind);
  });
});
