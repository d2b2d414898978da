import type { Socket } from 'node:net';
import type { Backpressure } from '../../runtime/backpressure.js';
import type { DatagramPeer } from '../../runtime/datagram-journal/record.js';
import type { BoundUdpSocket } from '../../runtime/recv-buffer.js';
import { HepStreamDecoder } from '../../trace/hep/index.js';
import { listenPair, type PairHandlers } from '../listen-pair.js';
import type { HepCollector } from './collector.js';

/** Largest HEP-over-TCP packet accepted (the u16 length field's maximum). */
const MAX_TCP_PACKET = 0xffff;

/** When an idle or stalled HEP-over-TCP connection is closed (issue 12 point 9: 256 idle connections locked real senders out). */
export interface HepTcpTimeouts {
  /** A connection that sends nothing for this long is closed (counted `tcp_idle_closed`). */
  readonly idleMs: number;
  /** A connection that stops in the middle of a packet for this long is closed (counted `tcp_partial_closed`). */
  readonly partialFrameMs: number;
}

export interface HepListeners {
  readonly host: string;
  readonly port: number;
  readonly udp: BoundUdpSocket;
  close(): Promise<void>;
}

/**
 * UDP and TCP on one port. Closing stops UDP at once; TCP stops accepting, then each
 * sender's connection is ended and what it already sent is still read (up to a second)
 * before it is destroyed. Senders keep HEP connections open for good.
 */
export interface HepListenOptions {
  readonly host: string;
  readonly port: number;
  readonly collector: HepCollector;
  /** Binds UDP elsewhere (the collector's receiver thread); default a socket on this thread, straight to the collector. */
  readonly bindUdp?: PairHandlers['bindUdp'];
  readonly maxConnections: number;
  readonly timeouts: HepTcpTimeouts;
  readonly recvBufferBytes?: number;
  /** The queue TCP readers pause on. */
  readonly backpressure?: Backpressure;
}

export async function listenHep(options: HepListenOptions): Promise<HepListeners> {
  const { host, port, collector, timeouts, backpressure } = options;
  const pair = await listenPair(host, port, {
    datagram: (data, peer) => collector.datagram(data, peerName(peer)),
    ...(options.bindUdp !== undefined ? { bindUdp: options.bindUdp } : {}),
    connection: (socket) => serveConnection(socket, collector, timeouts, backpressure),
    refused: () => collector.counters.add('tcp_refused'),
  }, options.maxConnections, options.recvBufferBytes);
  return { host, port: pair.port, udp: pair.udp, close: () => pair.close(1000) };
}

/** How a sender is named in counters and log lines. */
export function peerName(peer: DatagramPeer): string {
  return `${peer.address}:${peer.port}`;
}

/**
 * One HEP-over-TCP connection: a byte stream framed by the packets' own lengths. While the
 * store's queue is congested the socket stops reading (counted `tcp_paused`), so the sender's
 * TCP window closes and it slows down: a stream is held back, never dropped (issue 11).
 */
function serveConnection(socket: Socket, collector: HepCollector, timeouts: HepTcpTimeouts, backpressure?: Backpressure): void {
  const peer = `${socket.remoteAddress}:${socket.remotePort}`;
  collector.counters.add('tcp_connections');
  const decoder = new HepStreamDecoder({
    maxPacketSize: MAX_TCP_PACKET,
    onPacket: (packet) => collector.packet(packet, peer),
    onError: (error) => collector.malformed(error, peer),
  });
  // One socket timer: the short partial-frame wait while a packet is half in, else the idle wait.
  const rearm = () => socket.setTimeout(decoder.bufferedBytes > 0 ? timeouts.partialFrameMs : timeouts.idleMs);
  socket.on('timeout', () => {
    collector.counters.add(decoder.bufferedBytes > 0 ? 'tcp_partial_closed' : 'tcp_idle_closed');
    socket.destroy();
  });
  rearm();
  let paused = false;
  const pauseUntilRelieved = (queue: Backpressure) => {
    paused = true;
    socket.pause();
    socket.setTimeout(0); // waiting on Herald is not the sender being idle
    collector.counters.add('tcp_paused');
    void queue.whenRelieved().then(() => {
      paused = false;
      if (socket.destroyed) return;
      socket.resume();
      rearm();
    });
  };
  socket.on('data', (chunk) => {
    decoder.push(chunk);
    if (backpressure?.congested === true && !paused) pauseUntilRelieved(backpressure);
    else if (!paused) rearm();
  });
  socket.on('end', () => decoder.end());
  socket.on('error', () => collector.counters.add('tcp_errors'));
}
