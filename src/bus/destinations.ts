import { HeraldError } from '../errors/herald-error.js';
import type { NetworkDestination } from './backend.js';
import type { BackendRegistry } from './backend-registry.js';
import { parseSocket } from './socket.js';

/**
 * Where a socket would make Herald connect or send, as its transport's factory declares it
 * (BackendFactory.destinations); nothing is resolved, opened or created.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET / HERALD_ERR_UNKNOWN_TRANSPORT for a bad socket;
 *   HERALD_ERR_NOT_ALLOWED when the transport does not declare its destinations.
 */
export function destinationsOf(backends: BackendRegistry, socket: string): readonly NetworkDestination[] {
  const address = parseSocket(socket);
  const factory = backends.get(address.transport);
  if (factory.destinations === undefined) {
    throw new HeraldError('HERALD_ERR_NOT_ALLOWED',
      `The ${address.transport}: transport does not declare which hosts it connects to (BackendFactory.destinations), so only herald.yaml may subscribe it`);
  }
  return factory.destinations(address, { destinationsOf: (child) => destinationsOf(backends, child) });
}
