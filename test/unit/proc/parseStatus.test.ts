import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCgroup } from '../../../src/proc/parseCgroup';
import { parseStatus } from '../../../src/proc/parseStatus';
import { parseUptime } from '../../../src/proc/parseUptime';

// Trimmed from a real Linux 6.1 /proc/<pid>/status.
const REAL_STATUS = [
  'Name:\tbash',
  'Umask:\t0022',
  'State:\tS (sleeping)',
  'Tgid:\t4785',
  'Ngid:\t0',
  'Pid:\t4785',
  'PPid:\t4784',
  'TracerPid:\t0',
  'Uid:\t1000\t1001\t1002\t1003',
  'Gid:\t0\t0\t0\t0',
  'NStgid:\t4785\t12',
  'NSpid:\t4785\t12',
  'VmRSS:\t    4168 kB',
  'Cpus_allowed_list:\t0-1',
  'Mems_allowed:\t00000000,00000001',
  '',
].join('\n');

describe('parseStatus', () => {
  it('reads the real uid and NSpid (outermost first)', () => {
    expect(parseStatus(REAL_STATUS)).toEqual({ ok: true, value: { uid: 1000, nspid: [4785, 12] } });
  });

  it('gives null for absent fields (old kernel: no NSpid)', () => {
    const text = 'Name:\tkthreadd\nPPid:\t0\nUid:\t0\t0\t0\t0\n';
    expect(parseStatus(text)).toEqual({ ok: true, value: { uid: 0, nspid: null } });
  });

  it('splits on the first colon only (a Name with colons)', () => {
    const result = parseStatus('Name:\tpytest: worker:1\nUid:\t7\t7\t7\t7\n');
    expect(result.ok && result.value.uid).toBe(7);
  });

  it('gives null, not 0, for empty or malformed values', () => {
    expect(parseStatus('PPid:\t\nUid:\t\nNSpid:\t12 x\n')).toEqual({
      ok: true,
      value: { uid: null, nspid: null },
    });
  });

  it('rejects text without any Key: line', () => {
    expect(parseStatus('').ok).toBe(false);
    expect(parseStatus('garbage\nmore garbage').ok).toBe(false);
  });

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => void parseStatus(text)));
  });
});

describe('parseUptime', () => {
  it.each<[string, number]>([
    ['830.17 684.09\n', 830.17],
    ['12 3\n', 12],
    ['3600000.99 1.00', 3600000.99],
  ])('%j -> %d', (text, seconds) => {
    expect(parseUptime(text)).toEqual({ ok: true, value: seconds });
  });

  it.each(['', '\n', 'abc 1', '-1 2', '1e3 1', '.5 1'])('rejects %j', (text) => {
    expect(parseUptime(text).ok).toBe(false);
  });

  it('never throws (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (text) => void parseUptime(text)));
  });
});

const ID = 'a3f1c2b4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7f80';

describe('parseCgroup', () => {
  it.each<[string, string, string | null]>([
    ['docker, cgroup v1', `12:pids:/docker/${ID}\n11:memory:/docker/${ID}\n0::/\n`, ID],
    ['docker, cgroup v2 with systemd driver', `0::/system.slice/docker-${ID}.scope\n`, ID],
    ['containerd under kubernetes, v1', `4:memory:/kubepods/besteffort/pod1234-5678/${ID}\n`, ID],
    ['containerd CRI, v2', `0::/kubepods.slice/kubepods-burstable.slice/cri-containerd-${ID}.scope\n`, ID],
    ['cri-o', `0::/kubepods.slice/kubepods-pod1.slice/crio-${ID}.scope\n`, ID],
    ['podman, v2', `0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-${ID}.scope\n`, ID],
    ['podman, v1 cgroupfs', `3:cpu:/libpod_parent/libpod-${ID}\n`, ID],
    ['podman conmon is not the container', `0::/machine.slice/libpod-conmon-${ID}.scope\n`, null],
    ['host process, v2', '0::/user.slice/user-1000.slice/session-2.scope\n', null],
    ['inside a container with a cgroup namespace', '0::/\n', null],
    [
      'this machine (firecracker, 32-hex, not a container id)',
      '4:memory:/process_api/800f72145850a217591a11e66aa8d6e9\n0::/\n',
      null,
    ],
    ['empty', '', null],
    ['uppercase hex is not a runtime id', `0::/docker/${ID.toUpperCase()}\n`, null],
  ])('%s', (_name, text, expected) => {
    expect(parseCgroup(text)).toBe(expected);
  });

  it('never throws and returns null or a 64-hex id (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const id = parseCgroup(text);
        if (id !== null) expect(id).toMatch(/^[0-9a-f]{64}$/);
      }),
    );
  });
});
