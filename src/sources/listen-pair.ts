import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP, createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_RECV_BUFFER_BYTES } from '../config/sections/udp-collector.js';
import type { BoundUdpSocket } from '../runtime/recv-buffer.js';

/*
 * A UDP socket and a TCP server on one port, as collectors that take both
 * (HEP, OpenSIPS event_datagram + event_stream) listen. UDP binds first; with
 * port 0 the pair is retried until both get the same free port.
 */

const BIND_ATTEMPTS = 5;

/** The UDP side once bound: a socket on this thread, or one a receiver thread reads. */
export interface BoundUdp {
  readonly socket: BoundUdpSocket;
  close(): Promise<void>;
}

export interface PairHandlers {
  /** Each datagram, read on this thread; unused when `bindUdp` is given. */
  datagram(data: Buffer, peer: RemoteInfo): void;
  /** Binds the UDP side elsewhere (e.g. runtime/udp-receiver, its own thread); rejects with the bind error. */
  bindUdp?(host: string, port: number): Promise<BoundUdp>;
  connection(socket: Socket): void;
  /** A connection refused at `maxConnections`. */
  refused(): void;
}

export interface ListenPair {
  readonly host: string;
  readonly port: number;
  readonly udp: BoundUdpSocket;
  /** Open TCP connections. */
  readonly sockets: ReadonlySet<Socket>;
  /** UDP at once; TCP stops accepting, each connection is ended and read for up to `lingerMs`, then destroyed. */
  close(lingerMs?: number): Promise<void>;
}

/** `recvBufferBytes`: the UDP receive buffer asked of the kernel (see runtime/recv-buffer.ts for what it grants). */
export async function listenPair(
  host: string, port: number, handlers: PairHandlers, maxConnections: number, recvBufferBytes = DEFAULT_RECV_BUFFER_BYTES,
): Promise<ListenPair> {
  for (let attempt = 1; ; attempt++) {
    const udp = await (handlers.bindUdp ?? ((h: string, p: number) => bindUdp(h, p, handlers, recvBufferBytes)))(host, port);
    const boundPort = udp.socket.address().port;
    try {
      const tcp = await listenTcp(host, boundPort, handlers, maxConnections);
      return { host, port: boundPort, udp: udp.socket, sockets: tcp.sockets, close: (lingerMs = 1000) => closeBoth(udp, tcp, lingerMs) };
    } catch (error) {
      await udp.close();
      const retry = port === 0 && (error as NodeJS.ErrnoException).code === 'EADDRINUSE' && attempt < BIND_ATTEMPTS;
      if (!retry) throw error;
    }
  }
}

function bindUdp(host: string, port: number, handlers: PairHandlers, recvBufferBytes: number): Promise<BoundUdp> {
  const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: recvBufferBytes });
  socket.on('message', (data, peer) => handlers.datagram(data, peer));
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, host, () => {
      socket.off('error', reject);
      socket.on('error', () => undefined); // a UDP socket reports ICMP noise; it keeps receiving
      resolve({ socket, close: () => new Promise<void>((done) => socket.close(() => done())) });
    });
  });
}

interface TcpListener {
  readonly server: Server;
  readonly sockets: Set<Socket>;
}

function listenTcp(host: string, port: number, handlers: PairHandlers, maxConnections: number): Promise<TcpListener> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    handlers.connection(socket);
  });
  server.maxConnections = maxConnections;
  server.on('drop', () => handlers.refused());
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({ server, sockets });
    });
  });
}

async function closeBoth(udp: BoundUdp, tcp: TcpListener, lingerMs: number): Promise<void> {
  await udp.close();
  const closed = new Promise<void>((resolve) => tcp.server.close(() => resolve()));
  for (const socket of tcp.sockets) {
    socket.end();
    setTimeout(() => socket.destroy(), lingerMs).unref();
  }
  await closed;
}
