import type { Bus } from '../bus/bus.js';
import { E_CORE_TCP_DISCONNECT } from '../events/packs/core.js';
import { connectionProto, watchWebSocketUpgrades } from './connection-proto.js';
import { isOwnConnection } from '../runtime/own-connections.js';
import { observeSockets, whenConnected } from './hooks/sockets.js';

export { connectionProto, markWebSocket, type ConnectionProto } from './connection-proto.js';

/**
 * E_CORE_TCP_DISCONNECT for every TCP connection of the process, accepted or
 * opened, when its socket emits 'close'.
 *
 * Addresses are read when the connection is established, because Node forgets
 * them once the handle is gone. As in OpenSIPS (`tcp_disconnect_event_raise`
 * reads `c->rcv`), `src_*` is the peer and `dst_*` is this process's end, for
 * accepted and opened connections alike. A socket that never connected was
 * never a TCP connection and raises nothing. Unix-socket connections are skipped, and
 * so are Herald's own management-interface connections (runtime/own-connections.ts).
 */
export function watchTcpDisconnects(bus: Pick<Bus, 'raise' | 'enabled'>): () => void {
  let live = true;
  const stopUpgrades = watchWebSocketUpgrades();
  const stopSockets = observeSockets((socket) => {
    // A connection opened while nobody listens is not followed (its close is not raised).
    if (!bus.enabled(E_CORE_TCP_DISCONNECT)) return;
    whenConnected(socket, (ends) => {
      socket.once('close', () => {
        // Marked by the management interface when accepted: Herald's own HTTP, not the application's.
        if (!live || isOwnConnection(socket)) return;
        bus.raise(E_CORE_TCP_DISCONNECT, {
          src_ip: ends.remoteIp,
          src_port: ends.remotePort,
          dst_ip: ends.localIp,
          dst_port: ends.localPort,
          proto: connectionProto(socket),
        });
      });
    });
  });
  return () => {
    live = false;
    stopSockets();
    stopUpgrades();
  };
}
