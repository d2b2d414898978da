import { readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { addressMatcher, parseUdpTable, type UdpTableRow } from './udp-proc-table.js';

/** A bound UDP socket as `socket.address()` reports it. */
export interface UdpSocketIdentity {
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
}

export type KernelDropsReading =
  | { readonly ok: true; readonly drops: number; readonly rxQueueBytes: number }
  /** Why the counter cannot be read: not Linux, no /proc, or no such socket in the table. */
  | { readonly ok: false; readonly reason: string };

export interface UdpSocketDropsOptions {
  /** Where proc is mounted (tests). Default `/proc`. */
  readonly procRoot?: string;
  /** Default `process.platform`. */
  readonly platform?: string;
}

/**
 * Reads the kernel's drop counter and receive-queue bytes of one UDP socket of this
 * process. Node does not expose a socket's inode, so the row is found by local address
 * and port; if several sockets share them (SO_REUSEADDR), the one whose inode is among
 * this process's open sockets is taken, and its inode is kept for the next reads.
 * Works wherever the socket lives in the process (main thread or a worker).
 */
export class UdpSocketDrops {
  readonly #identity: UdpSocketIdentity;
  readonly #procRoot: string;
  readonly #platform: string;
  readonly #matches: (rowAddress: string) => boolean;
  #inode: number | undefined;

  constructor(identity: UdpSocketIdentity, options: UdpSocketDropsOptions = {}) {
    this.#identity = identity;
    this.#procRoot = options.procRoot ?? '/proc';
    this.#platform = options.platform ?? process.platform;
    this.#matches = addressMatcher(identity.address, identity.family);
  }

  /** The table this socket is listed in, e.g. `/proc/net/udp6`. */
  get table(): string {
    return join(this.#procRoot, 'net', this.#identity.family === 'IPv6' ? 'udp6' : 'udp');
  }

  /** One read of the table. Never throws: an unreadable counter is a reading with its reason. */
  async read(): Promise<KernelDropsReading> {
    if (this.#platform !== 'linux') return { ok: false, reason: `kernel drop counters are read from /proc on Linux only (this is ${this.#platform})` };
    let text: string;
    try {
      text = await readFile(this.table, 'utf8');
    } catch (error) {
      return { ok: false, reason: `cannot read ${this.table}: ${(error as Error).message}` };
    }
    const row = await this.#find(parseUdpTable(text));
    if (row === undefined) {
      return { ok: false, reason: `no socket bound to ${this.#identity.address} port ${this.#identity.port} in ${this.table}` };
    }
    return { ok: true, drops: row.drops, rxQueueBytes: row.rxQueueBytes };
  }

  async #find(rows: readonly UdpTableRow[]): Promise<UdpTableRow | undefined> {
    const candidates = rows.filter((row) => row.localPort === this.#identity.port && this.#matches(row.localAddress));
    if (this.#inode !== undefined) return candidates.find((row) => row.inode === this.#inode);
    if (candidates.length === 1) return this.#keep(candidates[0]);
    const own = await this.#ownSocketInodes();
    return this.#keep(candidates.find((row) => own.has(row.inode)));
  }

  #keep(row: UdpTableRow | undefined): UdpTableRow | undefined {
    this.#inode = row?.inode;
    return row;
  }

  /** Inodes of this process's sockets: /proc/self/fd links read `socket:[INODE]`. */
  async #ownSocketInodes(): Promise<Set<number>> {
    const fdDir = join(this.#procRoot, 'self', 'fd');
    const inodes = new Set<number>();
    const fds = await readdir(fdDir).catch(() => [] as string[]);
    for (const fd of fds) {
      const target = await readlink(join(fdDir, fd)).catch(() => '');
      const match = /^socket:\[(\d+)\]$/.exec(target);
      if (match !== null) inodes.add(Number(match[1]));
    }
    return inodes;
  }
}
