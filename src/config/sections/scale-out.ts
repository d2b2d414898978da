import { Type } from '@sinclair/typebox';

/** What `herald serve` is in a scale-out deployment (docs/scale-out.md). */
export const RoleSetting = Type.Union([Type.Literal('standalone'), Type.Literal('collector'), Type.Literal('writer')], {
  default: 'standalone',
  description: '`standalone`: one process collects and stores. `collector`: HEP/SIP collectors and event ingest publish trace rows and events to '
    + 'the JetStream stream `scale_out.stream` instead of local stores. `writer`: no collectors or ingest listeners; pulls the stream through the '
    + 'durable consumer every writer shares and writes rows and events to PostgreSQL (`trace.store`), acknowledging after the commit (docs/scale-out.md).',
});

const TOKEN = '^[A-Za-z0-9_-]+$';

/** The JetStream side of the collector and writer roles; unused by `standalone`. */
export const ScaleOutSection = Type.Object({
  servers: Type.Array(Type.String({ minLength: 1 }), {
    default: ['127.0.0.1:4222'], minItems: 1,
    description: 'host:port of the NATS servers of the cluster (at least one; give every node so a client can start while one is down).',
  }),
  stream: Type.String({ default: 'HERALD', pattern: TOKEN, maxLength: 64, description: 'The JetStream stream; created on subjects `<subject_prefix>.>` when missing.' }),
  subject_prefix: Type.String({
    default: 'herald', pattern: TOKEN, maxLength: 64,
    description: 'Events go to `<prefix>.ev.<category>.<type>`, trace rows to `<prefix>.trace`.',
  }),
  replicas: Type.Integer({ minimum: 1, maximum: 5, default: 1, description: 'Replicas of the stream when Herald creates it: 3 on a 3-node cluster, so one node may die.' }),
  duplicate_window_ms: Type.Integer({
    minimum: 1000, default: 120_000,
    description: 'The stream\'s duplicate window when Herald creates it: a retried publish with the same message id within it is dropped by the server.',
  }),
  ack_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 5000, description: 'Collector: a publish the stream has not acknowledged by then is retried (same message id).' }),
  connect_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 2000, description: 'Give up one connection attempt after this long; the next write tries again.' }),
  consumer: Type.String({
    default: 'herald-writers', pattern: TOKEN, maxLength: 64,
    description: 'Writer: the durable pull consumer; every writer uses the same name, so each message goes to one writer.',
  }),
  batch: Type.Integer({ minimum: 1, maximum: 10_000, default: 500, description: 'Writer: most messages pulled and written in one transaction per table.' }),
  ack_wait_ms: Type.Integer({
    minimum: 1000, default: 30_000,
    description: 'Writer: a message not acknowledged this long after delivery (its writer died) goes to another writer. Applied when the consumer is created.',
  }),
  event_store: Type.String({
    default: '',
    description: 'Writer: the PostgreSQL database events are written to (table herald_events); empty: the database of `trace.store`.',
  }),
}, { additionalProperties: false, default: {}, description: 'The JetStream stream the collector and writer roles share (docs/scale-out.md).' });
