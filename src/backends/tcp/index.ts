import type { BackendFactory } from '../../bus/backend.js';
import { parsePeerAddress } from '../shared/peer-address.js';
import { socketOptions } from '../shared/socket-schema.js';
import { TcpOptionsSchema } from './schema.js';
import { TcpBackend } from './tcp-backend.js';

/** `tcp:host:port[/method][?reliable=1&…]`: OpenSIPS event_stream (docs/backends/tcp.md). */
export const tcpBackend: BackendFactory = {
  transport: 'tcp',
  description: 'Back-to-back JSON-RPC on a persistent TCP connection, optionally with replies (docs/backends/tcp.md).',
  destinations(address) {
    const { host, port } = parsePeerAddress(address.socket, address.address, true);
    return [{ host, port }];
  },
  create(address, ctx) {
    const peer = parsePeerAddress(address.socket, address.address, true);
    const options = socketOptions(address.socket, TcpOptionsSchema, address.options);
    return new TcpBackend({ socket: address.socket, peer, options, ctx });
  },
};
