import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatIpv6, parseEndpoint, parseNetTable } from '../../../src/proc/parseNet';
import { NET_HEADER, netLine } from '../../helpers/fakeProcTree';

// Lines as this machine's kernel prints them (cat /proc/net/tcp).
const REAL_TCP =
  '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode                                                     \n' +
  '   0: 00000000:07E8 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1601 1 00000000f5395f55 100 0 0 10 0                      \n' +
  '   1: 020200C0:8A0E 507100CB:01BB 01 00000000:00000000 02:00000033 00000000     0        0 41918 2 00000000e05db413 20 4 1 148 -1                    \n';

describe('parseEndpoint', () => {
  it.each([
    ['0100007F:1F90', '127.0.0.1', 8080],
    ['00000000:07E8', '0.0.0.0', 2024],
    ['020200C0:8A0E', '192.0.2.2', 35342],
    ['00000000000000000000000000000000:0050', '::', 80],
    ['00000000000000000000000001000000:0016', '::1', 22],
    ['0000000000000000FFFF00000100007F:1F90', '::ffff:127.0.0.1', 8080],
    ['B80D0120000000000000000001000000:01BB', '2001:db8::1', 443],
  ])('%s -> %s:%i (little-endian host words)', (text, address, port) => {
    expect(parseEndpoint(text)).toEqual({ address, port });
  });

  it('reads big-endian hosts too', () => {
    expect(parseEndpoint('7F000001:1F90', false)).toEqual({ address: '127.0.0.1', port: 8080 });
  });

  it.each(['', ':', '0100007F', '0100007G:1F90', '0100007F:1F9', '0100:1F90', '0100007F:1F90:1'])(
    'rejects %j',
    (text) => expect(parseEndpoint(text)).toBeNull(),
  );
});

describe('formatIpv6', () => {
  it('compresses the longest zero run only, lowercase', () => {
    expect(formatIpv6([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1])).toBe('2001:db8:0:1::1');
    expect(formatIpv6([0xfe, 0x80, ...Array<number>(13).fill(0), 0xab])).toBe('fe80::ab');
  });
});

describe('parseNetTable', () => {
  it('keeps listening sockets by inode, skips the header and established connections', () => {
    const sockets = parseNetTable(REAL_TCP, 'tcp');
    expect([...sockets]).toEqual([[1601, { proto: 'tcp', address: '0.0.0.0', port: 2024 }]]);
  });

  it('UDP: bound and unconnected (state 07, no remote port) is a server; a connected one is not', () => {
    const text =
      NET_HEADER +
      netLine('00000000:14E9', '00000000:0000', '07', 11) +
      netLine('0100007F:9C40', '0100007F:0035', '01', 12) +
      netLine('0100007F:9C41', '0100007F:0035', '07', 13);
    expect([...parseNetTable(text, 'udp')]).toEqual([[11, { proto: 'udp', address: '0.0.0.0', port: 5353 }]]);
  });

  it('tcp6 sockets are "tcp" with an IPv6 address', () => {
    const text =
      NET_HEADER +
      netLine('00000000000000000000000000000000:1F90', '00000000000000000000000000000000:0000', '0A', 5);
    expect(parseNetTable(text, 'tcp6').get(5)).toEqual({ proto: 'tcp', address: '::', port: 8080 });
  });

  it.each([
    ['a short line', `${NET_HEADER}   0: 0100007F:1F90 00000000:0000 0A\n`],
    [
      'inode 0 (a TIME_WAIT socket has none)',
      NET_HEADER + netLine('0100007F:1F90', '00000000:0000', '0A', 0),
    ],
    ['port 0', NET_HEADER + netLine('0100007F:0000', '00000000:0000', '0A', 3)],
    ['no header, nothing else', ''],
  ])('ignores %s', (_name, text) => {
    expect(parseNetTable(text, 'tcp').size).toBe(0);
  });

  it('never throws on arbitrary text (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (text) => {
        parseNetTable(`${NET_HEADER}${text}`, 'tcp');
        parseNetTable(text, 'udp6');
      }),
    );
  });
});
