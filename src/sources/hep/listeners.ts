import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { isIP, createServer, type Server, type Socket } from 'node:net';
import { HepStreamDecoder } from '../../trace/hep/index.js';
import type { HepCollector } from './collector.js';

/** Largest HEP-over-TCP packet accepted (the u16 length field's maximum). */
const MAX_TCP_PACKET = 0xffff;
const BIND_ATTEMPTS = 5;

export interface HepListeners {
  readonly host: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Binds UDP, then TCP on the same port; with port 0 the pair is retried until both get one free port. */
export async function listenHep(host: string, port: number, collector: HepCollector, maxConnections: number): Promise<HepListeners> {
  for (let attempt = 1; ; attempt++) {
    const udp = await bindUdp(host, port, collector);
    const boundPort = udp.address().port;
    try {
      const tcp = await listenTcp(host, boundPort, collector, maxConnections);
      return { host, port: boundPort, close: () => closeBoth(udp, tcp) };
    } catch (error) {
      await new Promise<void>((resolve) => udp.close(() => resolve()));
      const retry = port === 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < BIND_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

function bindUdp(host: string, port: number, collector: HepCollector): Promise<UdpSocket> {
  const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  socket.on('message', (data, peer) => collector.datagram(data, `${peer.address}:${peer.port}`));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined); // a UDP socket reports ICMP noise; it keeps receiving
      resolve(socket);
    });
  });
}

interface TcpListener {
  readonly server: Server;
  readonly sockets: Set<Socket>;
}

function listenTcp(host: string, port: number, collector: HepCollector, maxConnections: number): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(socket, collector);
  });
  server.maxConnections = maxConnections;
  server.on('drop', () => collector.counters.add('tcp_refused'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, sockets });
    });
  });
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

/**
 * Stops receiving: UDP at once; TCP stops accepting, then each sender's
 * connection is ended and what it already sent is still read (up to a second)
 * before it is destroyed. Senders keep HEP connections open for good.
 */
async function closeBoth(udp: UdpSocket, tcp: TcpListener): Promise<void> {
  await new Promise<void>((resolve) => udp.close(() => resolve()));
  const closed = new Promise<void>((resolve) => tcp.server.close(() => resolve()));
  for (const socket of tcp.sockets) {
    socket.end();
    setTimeout(() => socket.destroy(), 1000).unref();
  }
  await closed;
}
