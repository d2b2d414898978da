import { Type, type Static } from '@sinclair/typebox';
import { BROKER_BODY_FORMAT_OPTION } from '../shared/broker-body.js';

/** The options of `nats:[//host:port/]subject.template?…` (docs/backends/nats.md; its table is generated from this). */
export const NatsOptionsSchema = Type.Object({
  format: BROKER_BODY_FORMAT_OPTION,
  ack_timeout_ms: Type.Integer({
    minimum: 1, maximum: 600_000, default: 5000,
    description: 'A publish the stream has not acknowledged after this long is retried (same `Nats-Msg-Id`, so JetStream drops the copy if the first one landed).',
  }),
  servers: Type.String({
    default: '', pattern: '^$|^[^,\\s]+(,[^,\\s]+)*$',
    description: 'More servers of the same cluster, `host:port` comma-separated: the client starts on any of them and fails over between them (the socket\'s own server first).',
  }),
  connect_timeout_ms: Type.Integer({
    minimum: 1, maximum: 600_000, default: 2000,
    description: 'Give up a connection attempt after this long; the batch is retried with backoff. Once connected, the client reconnects by itself.',
  }),
}, { additionalProperties: false });

export type NatsOptions = Static<typeof NatsOptionsSchema>;
