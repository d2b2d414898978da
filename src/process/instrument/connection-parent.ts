import type { Socket } from 'node:net';
import type { EventParent } from '../../events/event.js';
import { endpointsOf, whenConnected, type Endpoints, type SocketSide } from '../hooks/sockets.js';

/** Dovecot's fields: `client_*` is the end that connected, `ip`/`port` the end connected to. */
export function connectionFields(ends: Endpoints, side: SocketSide) {
  return side === 'client'
    ? { client_ip: ends.localIp, client_port: ends.localPort, ip: ends.remoteIp, port: ends.remotePort }
    : { client_ip: ends.remoteIp, client_port: ends.remotePort, ip: ends.localIp, port: ends.localPort };
}

const parents = new WeakMap<Socket, EventParent>();

/**
 * The connection a client socket carries, as the parent of the requests sent on
 * it (Dovecot's event tree: a request is a child of its connection): the params
 * of its `client_connection_connected` event. Built once per socket while it is
 * connected (rememberConnection; the endpoints are gone after close);
 * undefined for a socket that never connected.
 */
export function clientConnectionParent(socket: Socket | undefined): EventParent | undefined {
  if (socket === undefined) return undefined;
  let parent = parents.get(socket);
  if (parent === undefined) {
    const ends = endpointsOf(socket);
    if (ends === undefined) return undefined;
    parent = { params: connectionFields(ends, 'client') };
    parents.set(socket, parent);
  }
  return parent;
}

/** Builds the socket's parent as soon as it is connected, so a request that ends with the socket closed still finds it. */
export function rememberConnection(socket: Socket): void {
  if (parents.has(socket)) return;
  whenConnected(socket, () => {
    clientConnectionParent(socket);
  });
}
