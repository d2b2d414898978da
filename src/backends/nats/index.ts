import type { BackendFactory } from '../../bus/backend.js';
import { brokerBodyEncoder } from '../shared/broker-body.js';
import { socketOptions } from '../shared/socket-schema.js';
import { compileTopicTemplate } from '../shared/topic-template.js';
import { clusterServers, natsServer, parseNatsAddress } from './address.js';
import { LazyNatsConnection } from './lazy-connection.js';
import { NatsBackend } from './nats-backend.js';
import { NatsOptionsSchema } from './schema.js';

/** What a rendered placeholder may not carry into a subject: token separators, wildcards, white space. */
const UNSAFE_IN_SUBJECT = /[.*>\s]/g;

/** `nats:[//host:port/]subject.template[?format=jsonrpc&…]`: JetStream publish with acks (docs/backends/nats.md). */
export const natsBackend: BackendFactory = {
  transport: 'nats',
  description: 'NATS JetStream publish, delivered when the stream acked it, Nats-Msg-Id = event id (docs/backends/nats.md).',
  destinations(address) {
    const { host, port } = parseNatsAddress(address.socket, address.address);
    const options = socketOptions(address.socket, NatsOptionsSchema, address.options);
    return [{ host, port }, ...clusterServers(address.socket, options.servers)];
  },
  create(address) {
    const parsed = parseNatsAddress(address.socket, address.address);
    const options = socketOptions(address.socket, NatsOptionsSchema, address.options);
    const servers = [parsed, ...clusterServers(address.socket, options.servers)].map(natsServer);
    return new NatsBackend({
      socket: address.socket,
      connection: new LazyNatsConnection(servers, options.connect_timeout_ms),
      subject: compileTopicTemplate(address.socket, parsed.subject, UNSAFE_IN_SUBJECT),
      encode: brokerBodyEncoder(options.format),
      ackTimeoutMs: options.ack_timeout_ms,
    });
  },
};
