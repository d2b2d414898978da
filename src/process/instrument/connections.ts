import type { Socket } from 'node:net';
import {
  client_connection_connected, client_connection_disconnected,
  server_connection_connected, server_connection_disconnected,
} from '../../events/packs/dovecot.js';
import { observeSockets, whenConnected } from '../hooks/sockets.js';
import { attachWhileListened, type InstrumentBus } from './attach-while-listened.js';
import { connectionFields } from './connection-parent.js';

/**
 * Who closed first decides the reason, in Dovecot's words: the peer's FIN
 * ("Connection closed"), our own end()/destroy() ("Deinitializing"), or an
 * error ("Connection closed: <error>"). Listening to 'end' and 'finish' does
 * not change how the socket behaves; Herald never adds an 'error' listener,
 * which would swallow errors the application is meant to see.
 */
function trackReason(socket: Socket): () => string {
  let first: 'peer' | 'local' | undefined;
  socket.once('end', () => {
    first ??= 'peer';
  });
  socket.once('finish', () => {
    first ??= 'local';
  });
  return () => {
    const error = socket.errored;
    if (error !== null && error !== undefined) return `Connection closed: ${error.message}`;
    return first === 'peer' ? 'Connection closed' : 'Deinitializing';
  };
}

/**
 * `client_connection_connected/_disconnected` for connections this process
 * opens and `server_connection_*` for those it accepts (TCP and TLS).
 * `bytes_in`/`bytes_out` are the socket's counters: payload bytes for plain
 * TCP and for TLS clients, wire bytes for the raw socket of a TLS server.
 */
export function instrumentConnections(bus: InstrumentBus): () => void {
  let live = true;
  const events = [client_connection_connected, client_connection_disconnected, server_connection_connected, server_connection_disconnected];
  const stop = attachWhileListened(bus, events, () => observeSockets((socket, side) => {
    const [connected, disconnected] = side === 'client'
      ? [client_connection_connected, client_connection_disconnected]
      : [server_connection_connected, server_connection_disconnected];
    if (!bus.enabled(connected) && !bus.enabled(disconnected)) return;
    whenConnected(socket, (ends) => {
      const fields = connectionFields(ends, side);
      if (side === 'client') bus.raise(client_connection_connected, fields);
      else bus.raise(server_connection_connected, { ...fields, bytes_in: socket.bytesRead, bytes_out: socket.bytesWritten });
      const reason = trackReason(socket);
      socket.once('close', () => {
        if (!live) return;
        const closed = { ...fields, bytes_in: socket.bytesRead, bytes_out: socket.bytesWritten, reason: reason() };
        bus.raise(disconnected, closed);
      });
    });
  }));
  return () => {
    live = false;
    stop();
  };
}
