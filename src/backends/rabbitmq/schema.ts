import { Type, type Static } from '@sinclair/typebox';
import { BROKER_BODY_FORMAT_OPTION } from '../shared/broker-body.js';

/** The options of `rabbitmq:[user[:password]@]host[:port]/routing_key?…` (docs/backends/rabbitmq.md; its table is generated from this). */
export const RabbitmqOptionsSchema = Type.Object({
  exchange: Type.String({ default: '', description: 'The exchange to publish to; empty is the default exchange, where the routing key names the queue. Herald declares nothing (as OpenSIPS): the exchange must exist.' }),
  vhost: Type.String({ default: '/', description: 'The virtual host to open.' }),
  format: BROKER_BODY_FORMAT_OPTION,
  persistent: Type.Boolean({ default: true, description: 'Publish with delivery mode 2, so a durable queue keeps the message across a broker restart.' }),
  heartbeat: Type.Integer({ minimum: 0, maximum: 3600, default: 30, description: 'AMQP heartbeat in seconds (0: none): a broker that went silent is noticed and the connection replaced.' }),
  connect_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 500, description: 'Give up a connection attempt after this long (OpenSIPS `connect_timeout`); the batch is retried with backoff.' }),
  timeout_ms: Type.Integer({
    minimum: 1, maximum: 600_000, default: 5000,
    description: 'Publisher confirms not all back after this long: the connection is dropped and the batch retried (consumers de-duplicate by message id).',
  }),
}, { additionalProperties: false });

export type RabbitmqOptions = Static<typeof RabbitmqOptionsSchema>;
