import type { BackendFactory, BackendContext, NetworkDestination } from '../../bus/backend.js';
import type { SocketAddress } from '../../bus/socket.js';
import { urlDestination } from '../shared/destinations.js';
import { socketOptions } from '../shared/socket-schema.js';
import { HttpBackend } from './http-backend.js';
import { HttpOptionsSchema } from './schema.js';
import { httpSocketParts } from './socket-parts.js';

function create(address: SocketAddress, ctx: BackendContext): HttpBackend {
  const parts = httpSocketParts(address.socket, address.transport, address.address, address.options);
  const options = socketOptions(address.socket, HttpOptionsSchema, parts.options);
  return new HttpBackend({ socket: address.socket, parts, options, ctx });
}

function destinations(address: SocketAddress): readonly NetworkDestination[] {
  const { url } = httpSocketParts(address.socket, address.transport, address.address, address.options);
  return [urlDestination(url, url.protocol === 'https:' ? 443 : 80)];
}

const description = 'Webhook: POST JSON per event or NDJSON batches, custom headers, keep-alive pool (docs/backends/http.md).';

/** `http://host[:port]/path[?header.X=…&format=ndjson&…]` (docs/backends/http.md). */
export const httpBackend: BackendFactory = { transport: 'http', description, destinations, create };
/** The same over TLS. */
export const httpsBackend: BackendFactory = { transport: 'https', description, destinations, create };
