// What a process holds: its fd links (sockets, devices, files), matched against the network
// namespace's socket tables for listening ports. Unreadable fds (another user's process, no
// root) are an answer ("unknown: needs root"), never an error.
import { basetempOf } from './basetemp';
import type { DiagReader } from './diagRead';
import { MAX_FDS } from './diagRead';
import type { Holds, ListeningSocket } from './diagnosisTypes';
import { NET_TABLES, parseNetTable } from './parseNet';
import type { NetTableName } from './parseNet';
import { classifyFdLink, containingDir, isAcceleratorDevice } from './parseFdLinks';

/** A socket table with 50,000 connections is ~7.5 MB; beyond this the rest is not parsed. */
const NET_TABLE_MAX_BYTES = 8 * 1024 * 1024;
/** Most files listed per process (a test that opened 10,000 fixtures is named by the first). */
const MAX_FILES = 32;

export interface FdScan {
  readonly links: readonly string[];
  readonly complete: boolean;
  readonly unknown: string | null;
}

export function scanFds(reader: DiagReader, pid: number): FdScan {
  const dir = `${reader.rootSlash}${pid}/fd/`;
  const listing = reader.listing(dir);
  if (!listing.ok) return { links: [], complete: false, unknown: unknownReason(listing.error) };
  let names = listing.value;
  let unknown: string | null = null;
  if (names.length > MAX_FDS) {
    names = names.slice(0, MAX_FDS);
    unknown = 'too many fds';
  }
  const links: string[] = [];
  for (const name of names) {
    const link = reader.link(dir + name);
    if (link.ok) links.push(link.value);
    else if (link.error !== 'vanished') unknown ??= unknownReason(link.error); // vanished: closed meanwhile
  }
  return { links, complete: unknown === null, unknown };
}

function unknownReason(kind: 'vanished' | 'denied' | 'malformed'): string {
  if (kind === 'denied') return 'needs root';
  return kind === 'vanished' ? 'gone' : 'unreadable';
}

/** One network namespace's tables, read one at a time while a looked-up inode is not in them. */
interface NamespaceTables {
  readonly listening: Map<number, ListeningSocket>;
  /** Every socket inode of the tables read so far, listening or not. */
  readonly seen: Set<number>;
  /** NET_TABLES[next] is the next table to read. */
  next: number;
}

/**
 * The socket tables of each network namespace, each read at most once per scan (one instance
 * per scan), and only once a diagnosed process turned out to hold a socket. Lazily, in
 * NET_TABLES order, stopping as soon as every socket looked up was seen: each socket is in
 * exactly one table, so the answer is the same as with all four read, but an IPv4 listener
 * costs one table. tcp and tcp6 each walk the kernel's whole established hash (~1.3 ms a read
 * on a machine with 262,144 buckets, whatever the number of sockets): a quarter to a half of
 * what diagnosis adds to a steady scan when a run holds a port.
 */
export class NetTables implements SocketLookup {
  private readonly byNamespace = new Map<string, NamespaceTables>();
  private readonly namespaceOf = new Map<number, string>();
  /** Table files read (for the test that holds this to once per scan). */
  tablesRead = 0;

  constructor(
    private readonly reader: DiagReader,
    private readonly littleEndian = true,
  ) {}

  listening(pid: number, inode: number): ListeningSocket | undefined {
    const tables = this.tablesFor(pid);
    while (!tables.seen.has(inode) && tables.next < NET_TABLES.length) {
      this.read(pid, tables, NET_TABLES[tables.next++]!);
    }
    return tables.listening.get(inode);
  }

  private tablesFor(pid: number): NamespaceTables {
    let ns = this.namespaceOf.get(pid);
    if (ns === undefined) {
      const link = this.reader.link(`${this.reader.rootSlash}${pid}/ns/net`);
      ns = link.ok ? link.value : `pid ${pid}`; // unknown namespace: that process's own view
      this.namespaceOf.set(pid, ns);
    }
    let tables = this.byNamespace.get(ns);
    if (tables === undefined) {
      tables = { listening: new Map(), seen: new Set(), next: 0 };
      this.byNamespace.set(ns, tables);
    }
    return tables;
  }

  private read(pid: number, tables: NamespaceTables, table: NetTableName): void {
    this.tablesRead++;
    try {
      const { text } = this.reader.readCapped(
        `${this.reader.rootSlash}${pid}/net/${table}`,
        NET_TABLE_MAX_BYTES,
      );
      for (const [inode, socket] of parseNetTable(text, table, this.littleEndian, tables.seen))
        tables.listening.set(inode, socket);
    } catch {
      // No IPv6, or the process is gone: the other tables still count.
    }
  }
}

/** Finds whether a socket inode of `pid` listens (NetTables, or a memo in front of them). */
export interface SocketLookup {
  listening(pid: number, inode: number): ListeningSocket | undefined;
}

export interface HoldsContext {
  readonly net: SocketLookup;
  /** The run's cwd and the workspace folders: open files under these are listed. */
  readonly folders: readonly string[];
  /** `--basetemp` directories of matched runs. */
  readonly basetemps: readonly string[];
}

/** Holds from one fd scan; `cwd` (if in a basetemp) names the basetemp when no fd does. */
export function holdsOf(pid: number, fds: FdScan, cwd: string | null, ctx: HoldsContext): Holds {
  const listening: ListeningSocket[] = [];
  const files: string[] = [];
  const devices: string[] = [];
  let basetemp = cwd === null ? null : (basetempOf(cwd, ctx.basetemps)?.basetemp ?? null);
  for (const target of fds.links) {
    const link = classifyFdLink(target);
    if (link.kind === 'socket') {
      const socket = ctx.net.listening(pid, link.inode);
      if (socket !== undefined && !listening.some((l) => sameSocket(l, socket))) listening.push(socket);
    } else if (link.kind === 'device') {
      if (isAcceleratorDevice(link.path) && !devices.includes(link.path)) devices.push(link.path);
    } else if (link.kind === 'file') {
      basetemp ??= basetempOf(link.path, ctx.basetemps)?.basetemp ?? null;
      if (
        files.length < MAX_FILES &&
        containingDir(link.path, ctx.folders) !== null &&
        !files.includes(link.path)
      )
        files.push(link.path);
    }
  }
  listening.sort((a, b) => a.port - b.port);
  return { listening, files, devices, basetemp, complete: fds.complete, unknown: fds.unknown };
}

function sameSocket(a: ListeningSocket, b: ListeningSocket): boolean {
  return a.proto === b.proto && a.port === b.port && a.address === b.address;
}
