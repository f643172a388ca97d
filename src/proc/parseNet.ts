// Pure parser for /proc/<pid>/net/{tcp,tcp6,udp,udp6} (proc(5), the kernel's tcp4_seq_show /
// udp4_format_sock): which socket inodes are listening, on what address and port. Text in,
// map out; never throws; one pass over the lines, no regex on the content.
import type { ListeningSocket } from './diagnosisTypes';

/** tcp_states.h: TCP_LISTEN. */
const TCP_LISTEN = '0A';
/** TCP_CLOSE: what an unconnected (bound, "listening") UDP socket shows. */
const UDP_UNCONNECTED = '07';

// Columns after splitting a line on blanks: sl, local_address, rem_address, st, tx:rx, tr:when,
// retrnsmt, uid, timeout, inode (the same positions in all four tables).
const COL_LOCAL = 1;
const COL_REMOTE = 2;
const COL_STATE = 3;
const COL_INODE = 9;

export type NetTableName = 'tcp' | 'tcp6' | 'udp' | 'udp6';
export const NET_TABLES: readonly NetTableName[] = ['tcp', 'tcp6', 'udp', 'udp6'];

/**
 * Listening sockets of one table, by inode. `littleEndian`: the kernel prints each 32-bit word
 * of an address in host byte order (`%08X` of a __be32), so 127.0.0.1 reads `0100007F` on x86
 * and arm64; the port is printed after ntohs, big-endian text on every host. `seen` collects the
 * inode of every socket in the table, listening or not: a socket is in exactly one table, so
 * one seen there needs no other table read (holdsReader.ts reads them lazily).
 */
export function parseNetTable(
  text: string,
  table: NetTableName,
  littleEndian = true,
  seen?: Set<number>,
): Map<number, ListeningSocket> {
  const out = new Map<number, ListeningSocket>();
  const udp = table === 'udp' || table === 'udp6';
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const cols = splitBlanks(lines[i]!, COL_INODE + 1);
    if (cols.length <= COL_INODE) continue;
    if (seen !== undefined) {
      const n = Number(cols[COL_INODE]);
      if (Number.isInteger(n) && n > 0) seen.add(n);
    }
    const state = cols[COL_STATE]!;
    if (udp ? state !== UDP_UNCONNECTED : state !== TCP_LISTEN) continue;
    const local = parseEndpoint(cols[COL_LOCAL]!, littleEndian);
    if (local === null || local.port === 0) continue;
    if (udp) {
      const remote = parseEndpoint(cols[COL_REMOTE]!, littleEndian);
      if (remote === null || remote.port !== 0) continue; // connected: a client, not a server
    }
    const inode = cols[COL_INODE]!;
    if (!/^\d+$/.test(inode) || inode === '0') continue;
    out.set(Number(inode), { proto: udp ? 'udp' : 'tcp', address: local.address, port: local.port });
  }
  return out;
}

/** `0100007F:1F90` -> 127.0.0.1:8080; 32 hex digits before the colon for IPv6. Null if malformed. */
export function parseEndpoint(text: string, littleEndian = true): { address: string; port: number } | null {
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  const hexAddress = text.slice(0, colon);
  const hexPort = text.slice(colon + 1);
  if (!isHex(hexPort) || hexPort.length !== 4) return null;
  const port = parseInt(hexPort, 16);
  const bytes = addressBytes(hexAddress, littleEndian);
  if (bytes === null) return null;
  return { address: bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes), port };
}

function addressBytes(hex: string, littleEndian: boolean): number[] | null {
  if ((hex.length !== 8 && hex.length !== 32) || !isHex(hex)) return null;
  const bytes: number[] = [];
  for (let word = 0; word < hex.length; word += 8) {
    const group: number[] = [];
    for (let b = 0; b < 8; b += 2) group.push(parseInt(hex.slice(word + b, word + b + 2), 16));
    if (littleEndian) group.reverse();
    bytes.push(...group);
  }
  return bytes;
}

/** RFC 5952 text: lowercase, longest run of zero groups (≥ 2) as `::`, IPv4-mapped as dotted. */
export function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((bytes[i]! << 8) | bytes[i + 1]!);
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `::ffff:${bytes.slice(12).join('.')}`;
  }
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

/** The first `max` blank-separated words of a line, without a regex. */
function splitBlanks(line: string, max: number): string[] {
  const words: string[] = [];
  let start = -1;
  for (let i = 0; i <= line.length && words.length < max; i++) {
    const c = i < line.length ? line.charCodeAt(i) : 32;
    const blank = c === 32 || c === 9 || c === 13;
    if (blank) {
      if (start >= 0) words.push(line.slice(start, i));
      start = -1;
    } else if (start < 0) start = i;
  }
  return words;
}

function isHex(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
    if (!ok) return false;
  }
  return true;
}
