import { BlockList } from 'node:net';
import { endianness } from 'node:os';

/*
 * Linux's UDP socket tables, /proc/net/udp and /proc/net/udp6 (net/ipv4/udp.c
 * udp4_format_sock, net/ipv6/datagram.c __ip6_dgram_sock_seq_show), one row per socket:
 *
 *   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
 *   9226: 0100007F:B870 00000000:0000 07 00000000:00001B00 00:00000000 00000000     0        0 25071 2 00000000c54744f5 197
 *
 * The address is printed as 32-bit words (%08X) in the machine's byte order, so on x86
 * 127.0.0.1 reads 0100007F; IPv6 is four such words (::ffff:127.0.0.1 is
 * 0000000000000000FFFF00000100007F). The port is big-endian hex, tx_queue:rx_queue are
 * hex byte counts, inode and drops are decimal.
 */

export interface UdpTableRow {
  readonly localAddress: string;
  readonly localPort: number;
  /** Bytes waiting in the receive queue. */
  readonly rxQueueBytes: number;
  readonly inode: number;
  /** Datagrams the kernel dropped for this socket (receive buffer full, checksum, filter). */
  readonly drops: number;
}

const ROW = /^\s*\d+:\s+([0-9A-Fa-f]{8}|[0-9A-Fa-f]{32}):([0-9A-Fa-f]{4})\s+\S+\s+[0-9A-Fa-f]{2}\s+[0-9A-Fa-f]{8}:([0-9A-Fa-f]{8})\s+\S+\s+\S+\s+\d+\s+\d+\s+(\d+)\s+\d+\s+\S+\s+(\d+)\s*$/;

/** The rows of one table's text; the header and lines of another shape are skipped. */
export function parseUdpTable(text: string, littleEndian = endianness() === 'LE'): UdpTableRow[] {
  const rows: UdpTableRow[] = [];
  for (const line of text.split('\n')) {
    const match = ROW.exec(line);
    if (match === null) continue;
    const [, address, port, rxQueue, inode, drops] = match as unknown as [string, string, string, string, string, string];
    rows.push({
      localAddress: decodeAddress(address, littleEndian),
      localPort: Number.parseInt(port, 16),
      rxQueueBytes: Number.parseInt(rxQueue, 16),
      inode: Number(inode),
      drops: Number(drops),
    });
  }
  return rows;
}

/** Words in machine order back to network-order bytes, as text Node's address parser reads (IPv6 uncompressed). */
function decodeAddress(hex: string, littleEndian: boolean): string {
  const bytes = Buffer.alloc(hex.length / 2);
  for (let word = 0; word < hex.length / 8; word++) {
    const value = Number.parseInt(hex.slice(word * 8, word * 8 + 8), 16);
    if (littleEndian) bytes.writeUInt32LE(value, word * 4);
    else bytes.writeUInt32BE(value, word * 4);
  }
  if (bytes.length === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let offset = 0; offset < 16; offset += 2) groups.push(bytes.readUInt16BE(offset).toString(16));
  return groups.join(':');
}

/**
 * Whether a row's local address is `address` (as a socket's `address()` reports it).
 * Compared by Node's own address parser, so `::`, `::ffff:127.0.0.1` and uncompressed forms agree.
 */
export function addressMatcher(address: string, family: 'IPv4' | 'IPv6'): (rowAddress: string) => boolean {
  const type = family === 'IPv6' ? 'ipv6' : 'ipv4';
  const list = new BlockList();
  list.addAddress(address, type);
  return (rowAddress) => list.check(rowAddress, type);
}
