import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import tls from 'node:tls';

/** The `proto` of E_CORE_TCP_DISCONNECT, as OpenSIPS names them. */
export type ConnectionProto = 'tcp' | 'tls' | 'ws' | 'wss';

const marked = new WeakMap<Socket, 'ws'>();

/**
 * Marks a socket as carrying WebSocket (ws over TCP, wss over TLS). Herald
 * marks upgrades it can see itself (see `watchWebSocketUpgrades`); a library
 * that upgrades some other way can call this.
 */
export function markWebSocket(socket: Socket): void {
  marked.set(socket, 'ws');
  // A TLS server socket wraps the raw accepted socket Herald saw first.
  const parent = (socket as Socket & { _parent?: unknown })._parent;
  if (parent !== null && typeof parent === 'object') marked.set(parent as Socket, 'ws');
}

/** tcp, tls, ws or wss for a socket, judged when it closes. */
export function connectionProto(socket: Socket): ConnectionProto {
  const encrypted = (socket as Socket & { encrypted?: boolean }).encrypted === true || socket instanceof tls.TLSSocket
    || (socket as Socket & { server?: unknown }).server instanceof tls.Server;
  if (marked.has(socket)) return encrypted ? 'wss' : 'ws';
  return encrypted ? 'tls' : 'tcp';
}

function isWebSocketUpgrade(header: unknown): boolean {
  return typeof header === 'string' && header.toLowerCase() === 'websocket';
}

const watchedServers = new WeakSet<object>();

/**
 * Detects WebSocket upgrades so their sockets report ws/wss:
 * - client side: `http.client.request.start` with an `Upgrade: websocket` header;
 * - server side: an accepted socket whose http server already has an 'upgrade'
 *   listener gets one more, prepended, that marks the socket. Herald never adds
 *   the first 'upgrade' listener: that would make Node accept upgrades it would
 *   otherwise refuse.
 */
export function watchWebSocketUpgrades(): () => void {
  let live = true;
  const onClientRequest = (message: unknown) => {
    const { request } = message as { request: ClientRequest };
    if (!isWebSocketUpgrade(request.getHeader('upgrade'))) return;
    // The request may already hold its socket when the channel publishes.
    if (request.socket !== null) markWebSocket(request.socket);
    else request.once('socket', (socket: Socket) => markWebSocket(socket));
  };
  const onServerSocket = (message: unknown) => {
    const server = (message as { socket: Socket & { server?: HttpServer } }).socket.server;
    if (server === undefined || watchedServers.has(server) || server.listenerCount('upgrade') === 0) return;
    watchedServers.add(server);
    server.prependListener('upgrade', (request: IncomingMessage, socket: Socket) => {
      if (live && isWebSocketUpgrade(request.headers.upgrade)) markWebSocket(socket);
    });
  };
  diagnosticsChannel.subscribe('http.client.request.start', onClientRequest);
  diagnosticsChannel.subscribe('net.server.socket', onServerSocket);
  return () => {
    live = false;
    diagnosticsChannel.unsubscribe('http.client.request.start', onClientRequest);
    diagnosticsChannel.unsubscribe('net.server.socket', onServerSocket);
  };
}
