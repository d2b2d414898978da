import type { Socket } from 'node:net';
import { HepStreamDecoder } from '../../trace/hep/index.js';
import { listenPair } from '../listen-pair.js';
import type { HepCollector } from './collector.js';

/** Largest HEP-over-TCP packet accepted (the u16 length field's maximum). */
const MAX_TCP_PACKET = 0xffff;

export interface HepListeners {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * UDP and TCP on one port. Closing stops UDP at once; TCP stops accepting, then each
 * sender's connection is ended and what it already sent is still read (up to a second)
 * before it is destroyed. Senders keep HEP connections open for good.
 */
export async function listenHep(host: string, port: number, collector: HepCollector, maxConnections: number): Promise<HepListeners> {
  const pair = await listenPair(host, port, {
    datagram: (data, peer) => collector.datagram(data, `${peer.address}:${peer.port}`),
    connection: (socket) => serveConnection(socket, collector),
    refused: () => collector.counters.add('tcp_refused'),
  }, maxConnections);
  return { host, port: pair.port, close: () => pair.close(1000) };
}

/** One HEP-over-TCP connection: a byte stream framed by the packets' own lengths. */
function serveConnection(socket: Socket, collector: HepCollector): void {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  collector.counters.add('tcp_connections');
  const decoder = new HepStreamDecoder({
    maxPacketSize: MAX_TCP_PACKET,
    onPacket: (packet) => collector.packet(packet, peer),
    onError: (error) => collector.malformed(error, peer),
  });
  socket.on('data', (chunk) => decoder.push(chunk));
  socket.on('end', () => decoder.end());
  socket.on('error', () => collector.counters.add('tcp_errors'));
}
