import type { Socket } from 'node:net';

/*
 *  Connections that are Herald's own business, not the application's or a collector's:
 *  the management interface's HTTP connections (every CLI call is one). OpenSIPS raises
 *  E_CORE_TCP_DISCONNECT for its SIP/TCP layer; raising it for Herald's own MI traffic
 *  filled the default events.log (issue 12 point 15). A listener marks its sockets here
 *  and the core-events watcher skips them.
 */

const own = new WeakSet<Socket>();

/** Marks an accepted socket as Herald's own (no E_CORE_TCP_DISCONNECT when it closes). */
export function markOwnConnection(socket: Socket): void {
  own.add(socket);
}

/** Whether a socket was marked as Herald's own. */
export function isOwnConnection(socket: Socket): boolean {
  return own.has(socket);
}
