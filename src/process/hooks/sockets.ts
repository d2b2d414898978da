import diagnosticsChannel from 'node:diagnostics_channel';
import type { Server, Socket } from 'node:net';
import tls from 'node:tls';

/**
 * Every TCP socket of the process, as it is created, from one place.
 *
 *   server.listen ─▶ tracing:net.server.listen:asyncStart ─▶ prepend 'connection' ─┐
 *   server accept (server listening before we started) ─▶ net.server.socket ──────┼─▶ listeners(socket, side)
 *   net.connect ─▶ diagnostics_channel net.client.socket ──────────────────────────┤
 *   tls.connect (wrapped) ─────────────────────────────────────────────────────────┘
 *
 * Node 20 publishes `net.server.socket` after the 'connection' handlers ran, so
 * a socket the application destroys there has already lost its local address;
 * a 'connection' listener put first on every server that starts listening sees
 * it intact (servers already listening are caught at their first accept).
 * Node 20 publishes `net.client.socket` only from `net.connect()`; `tls.connect()`
 * builds its TLSSocket and calls `socket.connect()` itself, so TLS clients
 * (https, fetch to https://) are caught by wrapping `tls.connect`. Node 22 and 24
 * publish it from `tls.connect()` too, so the same TLSSocket arrives twice: each
 * socket is reported once (`reported`), whichever path saw it first. On the server
 * side a TLS server's raw socket is seen before TLS wraps it; it keeps its own
 * `close` event and `server` link, so it is reported with proto tls.
 */
export type SocketSide = 'client' | 'server';
export type SocketListener = (socket: Socket, side: SocketSide) => void;

const listeners = new Set<SocketListener>();
const CLIENT_CHANNEL = 'net.client.socket';
const SERVER_CHANNEL = 'net.server.socket';
const LISTEN_CHANNEL = 'tracing:net.server.listen:asyncStart';

/** Servers given our 'connection' listener (kept across install/uninstall; it idles when nobody listens). */
const watchedServers = new WeakSet<Server>();
/** Sockets already reported: a socket can reach us by two paths (see above). */
const reported = new WeakSet<Socket>();

function emit(socket: Socket, side: SocketSide): void {
  if (reported.has(socket)) return;
  reported.add(socket);
  for (const listener of listeners) listener(socket, side);
}

function onConnection(socket: Socket): void {
  if (listeners.size === 0) return;
  emit(socket, 'server');
}

function watchServer(server: Server | undefined): void {
  if (server === undefined || watchedServers.has(server)) return;
  watchedServers.add(server);
  server.prependListener('connection', onConnection);
}

const onClient = (message: unknown) => emit((message as { socket: Socket }).socket, 'client');
const onServer = (message: unknown) => {
  const { socket } = message as { socket: Socket & { server?: Server } };
  watchServer(socket.server);
  emit(socket, 'server');
};
const onListen = (message: unknown) => watchServer((message as { server?: Server }).server);

let originalTlsConnect: typeof tls.connect | undefined;

function wrappedTlsConnect(this: unknown, ...args: unknown[]): tls.TLSSocket {
  const socket = (originalTlsConnect as (...a: unknown[]) => tls.TLSSocket).apply(this, args);
  emit(socket, 'client');
  return socket;
}

function install(): void {
  diagnosticsChannel.subscribe(CLIENT_CHANNEL, onClient);
  diagnosticsChannel.subscribe(SERVER_CHANNEL, onServer);
  diagnosticsChannel.subscribe(LISTEN_CHANNEL, onListen);
  originalTlsConnect = tls.connect;
  tls.connect = wrappedTlsConnect as typeof tls.connect;
}

function uninstall(): void {
  diagnosticsChannel.unsubscribe(CLIENT_CHANNEL, onClient);
  diagnosticsChannel.unsubscribe(SERVER_CHANNEL, onServer);
  diagnosticsChannel.unsubscribe(LISTEN_CHANNEL, onListen);
  // Someone may have wrapped tls.connect on top of ours; then leave theirs in place
  // (ours passes straight through once no listener is left).
  if (tls.connect === (wrappedTlsConnect as typeof tls.connect) && originalTlsConnect !== undefined) tls.connect = originalTlsConnect;
}

/** Calls `listener` for every TCP socket created from now on. Returns a disposer. */
export function observeSockets(listener: SocketListener): () => void {
  if (listeners.size === 0) install();
  listeners.add(listener);
  return () => {
    if (!listeners.delete(listener)) return;
    if (listeners.size === 0) uninstall();
  };
}

/** Strips the IPv4-mapped prefix so `::ffff:127.0.0.1` reads as OpenSIPS would print it. */
export function plainIp(address: string | undefined): string {
  if (address === undefined) return '';
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

/** Both ends of a connection, captured while the socket is open (they are gone after close). */
export interface Endpoints {
  readonly localIp: string;
  readonly localPort: number;
  readonly remoteIp: string;
  readonly remotePort: number;
}

/** The endpoints of a connected TCP socket; undefined for pipes and unconnected sockets. */
export function endpointsOf(socket: Socket): Endpoints | undefined {
  if (socket.remoteAddress === undefined || socket.remotePort === undefined || socket.localPort === undefined) return undefined;
  return {
    localIp: plainIp(socket.localAddress),
    localPort: socket.localPort,
    remoteIp: plainIp(socket.remoteAddress),
    remotePort: socket.remotePort,
  };
}

/**
 * Runs `fn` with the socket's endpoints once it is connected: at once for
 * accepted sockets, on `connect` for outgoing ones. Never for sockets that
 * fail to connect (no TCP connection existed).
 */
export function whenConnected(socket: Socket, fn: (endpoints: Endpoints) => void): void {
  const now = socket.connecting ? undefined : endpointsOf(socket);
  if (now !== undefined) {
    fn(now);
    return;
  }
  socket.once('connect', () => {
    const endpoints = endpointsOf(socket);
    if (endpoints !== undefined) fn(endpoints);
  });
}
