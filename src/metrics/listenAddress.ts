// `--listen HOST:PORT` parsed, and whether HOST is loopback. Pure: no DNS (a name other than
// "localhost" counts as not loopback, so it needs the explicit flag like any remote address).
import { isIP } from 'node:net';

export interface ListenAddress {
  /** As given to server.listen(): no brackets around IPv6. */
  readonly host: string;
  /** 0 = any free port (tests, the bench). */
  readonly port: number;
}

const DEFAULT_LISTEN_HOST = '127.0.0.1';

/** `127.0.0.1:9464`, `[::1]:9464`, `:9464` and `9464` (loopback), `0.0.0.0:9464`. */
export function parseListenAddress(text: string): ListenAddress | string {
  const t = text.trim();
  let host: string;
  let portText: string;
  if (/^\d+$/.test(t)) {
    host = DEFAULT_LISTEN_HOST;
    portText = t;
  } else if (t.startsWith('[')) {
    const end = t.indexOf(']');
    if (end === -1 || t[end + 1] !== ':') return `not HOST:PORT: "${text}" (IPv6 is [ADDR]:PORT)`;
    host = t.slice(1, end);
    portText = t.slice(end + 2);
    if (isIP(host) !== 6) return `not an IPv6 address: "${host}"`;
  } else {
    const colon = t.lastIndexOf(':');
    if (colon === -1) return `not HOST:PORT: "${text}"`;
    host = t.slice(0, colon) || DEFAULT_LISTEN_HOST;
    portText = t.slice(colon + 1);
    if (host.includes(':')) return `not HOST:PORT: "${text}" (IPv6 is [ADDR]:PORT)`;
  }
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) return `not a port: "${portText}"`;
  return { host, port: Number(portText) };
}

/** 127.0.0.0/8, ::1, ::ffff:127.x.y.z, and the name localhost. */
export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
