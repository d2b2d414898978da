import type { BackendFactory } from '../../bus/backend.js';
import { jsonRpcBody } from '../shared/json-rpc-body.js';
import { parsePeerAddress } from '../shared/peer-address.js';
import { socketOptions } from '../shared/socket-schema.js';
import { UdpOptionsSchema } from './schema.js';
import { textBody } from './text-format.js';
import { UdpBackend } from './udp-backend.js';

/** `udp:host:port[?format=text&…]`: one event per datagram, OpenSIPS event_datagram bytes (docs/backends/udp.md). */
export const udpBackend: BackendFactory = {
  transport: 'udp',
  description: 'One event per UDP datagram, OpenSIPS event_datagram JSON-RPC or text (docs/backends/udp.md).',
  destinations(address) {
    const { host, port } = parsePeerAddress(address.socket, address.address, false);
    return [{ host, port }];
  },
  create(address, ctx) {
    const peer = parsePeerAddress(address.socket, address.address, false);
    const options = socketOptions(address.socket, UdpOptionsSchema, address.options);
    const json = { method: undefined, eventParam: undefined, eventId: options.event_id };
    return new UdpBackend({
      socket: address.socket,
      peer,
      maxDatagramBytes: options.max_datagram_bytes,
      encode: options.format === 'text' ? (event) => textBody(event, options.event_id) : (event) => jsonRpcBody(event, json),
      ctx,
    });
  },
};
