import { Type, type Static } from '@sinclair/typebox';
import { BROKER_BODY_FORMAT_OPTION } from '../shared/broker-body.js';

/** The options of `redis://host:port/stream?…` (docs/backends/redis.md; its table is generated from this). */
export const RedisOptionsSchema = Type.Object({
  mode: Type.Union([Type.Literal('stream'), Type.Literal('publish')], {
    default: 'stream',
    description: 'stream: `XADD` to a stream, delivered when Redis returned the entry id; publish: `PUBLISH` to a channel, delivered when Redis answered (pub/sub keeps nothing for absent subscribers).',
  }),
  maxlen: Type.Integer({ minimum: 0, default: 0, description: 'stream mode: trim the stream to about this many entries (`MAXLEN ~`); 0 keeps every entry.' }),
  field: Type.String({ minLength: 1, default: 'event', description: 'stream mode: the entry field that holds the body.' }),
  db: Type.Integer({ minimum: 0, maximum: 65535, default: 0, description: 'The database number (`SELECT`).' }),
  format: BROKER_BODY_FORMAT_OPTION,
  connect_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 5000, description: 'Give up a connection attempt after this long; the client keeps reconnecting with backoff up to 2 s.' }),
  timeout_ms: Type.Integer({
    minimum: 1, maximum: 600_000, default: 5000,
    description: 'A batch Redis has not answered after this long is retried by the bus (entries may then be added twice: de-duplicate on `id`).',
  }),
}, { additionalProperties: false });

export type RedisOptions = Static<typeof RedisOptionsSchema>;
