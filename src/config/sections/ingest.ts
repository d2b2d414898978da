import { Type } from '@sinclair/typebox';
import { brokerSourceOptions } from './broker-source.js';
import { httpLimitOptions } from './http-limits.js';
import { udpCollectorOptions } from './udp-collector.js';

/** Ingest: events in from Dovecot, OvenMediaEngine, OpenSIPS and HTTP. See docs/ingest.md. */
const Unknown = (source: string) => Type.Union([Type.Literal('accept'), Type.Literal('reject')], {
  default: 'accept',
  description: `An event ${source} sends that the catalogue does not know: \`accept\` keeps it untyped (name and fields, still routable by filters), \`reject\` refuses it; both are counted.`,
});

const IngestHttpSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the HTTP ingest listener (`POST /ingest`, `POST /ingest/dovecot`).' }),
  listen: Type.String({ default: '127.0.0.1:8088', description: 'host:port. Off loopback every request needs the MI token. Port 0 picks a free port (tests).' }),
  max_body_bytes: Type.Integer({ minimum: 1024, default: 16 * 1024 * 1024, description: 'Largest request body; a larger one gets 413 and is counted as `too_large`.' }),
  max_line_bytes: Type.Integer({ minimum: 256, default: 1024 * 1024, description: 'Largest NDJSON line in `POST /ingest`; a longer line is refused (`too_large`), the others are taken.' }),
  unknown: Unknown('a `POST /ingest` record'),
  // Dovecot keeps one connection open and posts every event over it: keep-alive outlasts its pauses.
  ...httpLimitOptions({ requestMs: 30_000, headersMs: 10_000, keepAliveMs: 65_000, idleMs: 120_000, maxConnections: 512 }),
}, { additionalProperties: false, default: {} });

const IngestDovecotSection = Type.Object({
  unknown: Unknown('Dovecot'),
}, { additionalProperties: false, default: {} });

const IngestOpensipsSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the OpenSIPS event listener: UDP (event_datagram) and TCP (event_stream) on one port.' }),
  listen: Type.String({ default: '127.0.0.1:8089', description: 'host:port for both UDP and TCP. Port 0 picks a free port (tests).' }),
  max_object_bytes: Type.Integer({ minimum: 256, default: 1024 * 1024, description: 'Largest JSON object on a TCP stream; a larger one is skipped and counted as `too_large`.' }),
  max_connections: Type.Integer({ minimum: 1, default: 64, description: 'Concurrent TCP connections; more are refused and counted as `busy`.' }),
  ...udpCollectorOptions(),
  unknown: Unknown('OpenSIPS'),
}, { additionalProperties: false, default: {} });

const IngestOmeSection = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Follow OvenMediaEngine\'s event log.' }),
  dir: Type.String({ default: '/var/log/ovenmediaengine', description: 'The directory holding `events.log` and its daily `events.log.YYYYMMDD` files.' }),
  poll_ms: Type.Integer({ minimum: 10, default: 250, description: 'How often the directory is looked at for new lines and new files.' }),
  max_line_bytes: Type.Integer({ minimum: 256, default: 1024 * 1024, description: 'Longest line; a longer one is skipped and counted as `too_large`.' }),
  unknown: Unknown('OvenMediaEngine'),
}, { additionalProperties: false, default: {} });

const IngestNatsSection = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Consume events from a NATS JetStream durable pull consumer (docs/ingest.md, NATS JetStream).' }),
  server: Type.String({ default: '127.0.0.1:4222', description: 'host:port of the NATS server.' }),
  stream: Type.String({ default: 'HERALD', minLength: 1, description: 'The stream to consume; it must exist.' }),
  consumer: Type.String({ default: 'herald', minLength: 1, description: 'The durable consumer\'s name; created (explicit ack) when missing. Several Herald processes with the same name share the work.' }),
  filter_subject: Type.String({ default: '', description: 'Only messages on this subject (wildcards allowed) when the consumer is created; empty: the whole stream.' }),
  batch: Type.Integer({ minimum: 1, maximum: 10_000, default: 256, description: 'Messages asked for per pull; each is acked after the bus took it (and every at-least-once spool has it).' }),
  ack_wait_ms: Type.Integer({ minimum: 1000, default: 30_000, description: 'A message not acked within this long is redelivered by the server (then de-duplicated by event id).' }),
  ...brokerSourceOptions('NATS'),
}, { additionalProperties: false, default: {} });

const IngestRabbitmqSection = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Consume a RabbitMQ queue into the bus (docs/ingest.md, "RabbitMQ").' }),
  url: Type.String({ default: 'amqp://guest:guest@127.0.0.1:5672/', description: 'The broker: `amqp://user:password@host:port/vhost`.' }),
  queue: Type.String({ default: '', description: 'The queue to consume (it must exist; Herald declares nothing). Required when enabled.' }),
  prefetch: Type.Integer({ minimum: 1, maximum: 65_535, default: 200, description: 'Unacknowledged messages the broker hands over at once: the read-ahead, and what a Herald crash gives back to be redelivered.' }),
  heartbeat: Type.Integer({ minimum: 0, maximum: 3600, default: 30, description: 'AMQP heartbeat in seconds (0: none).' }),
  connect_timeout_ms: Type.Integer({ minimum: 1, default: 2000, description: 'Give up a connection attempt after this long; it is retried with backoff (100 ms doubling to 5 s).' }),
  retry_ms: Type.Integer({ minimum: 1, default: 200, description: 'While the bus cannot take more, a message waits this long and is then handed back to the broker (nack, requeue).' }),
  ...brokerSourceOptions('RabbitMQ'),
}, { additionalProperties: false, default: {} });

const IngestMqttSection = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Subscribe an MQTT topic into the bus (docs/ingest.md, "MQTT").' }),
  url: Type.String({ default: 'mqtt://127.0.0.1:1883', description: 'The broker: `mqtt://[user:password@]host:port` (`mqtts://` for TLS).' }),
  topic: Type.String({ default: '', description: 'The topic filter to subscribe at QoS 1 (`+` and `#` wildcards allowed); a message is acknowledged (PUBACK) only after the bus has it. Required when enabled.' }),
  client_id: Type.String({ default: '', maxLength: 65535, description: 'The MQTT client id; empty: `herald-ingest-<hostname>`. The persistent session is kept under it, so it must be fixed and unique to this Herald.' }),
  clean: Type.Boolean({ default: false, description: 'false: a persistent session, so the broker queues QoS 1/2 messages published while Herald is away and redelivers unacknowledged ones; true: a new session on every connect (those are lost).' }),
  connect_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 5000, description: 'Give up a connection attempt after this long; the client reconnects every `reconnect_ms`.' }),
  reconnect_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 1000, description: 'Wait this long between connection attempts while the broker is away.' }),
  retry_ms: Type.Integer({ minimum: 1, default: 200, description: 'While the bus cannot take more, the message in hand is offered again after this long; the broker holds the rest.' }),
  ...brokerSourceOptions('MQTT'),
}, { additionalProperties: false, default: {} });

const IngestRedisSection = Type.Object({
  enabled: Type.Boolean({ default: false, description: 'Read a Redis stream as a consumer group member into the bus (docs/ingest.md, "Redis streams").' }),
  url: Type.String({ default: 'redis://127.0.0.1:6379/0', description: 'The server: `redis://[user:password@]host:port/db` (`rediss://` for TLS).' }),
  stream: Type.String({ default: '', description: 'The stream key to read. Required when enabled.' }),
  group: Type.String({ default: 'herald', minLength: 1, description: 'The consumer group; created (`XGROUP CREATE … MKSTREAM`) when missing. Several Herald processes in one group share the entries.' }),
  consumer: Type.String({ default: '', description: 'This Herald\'s name in the group; empty: `herald-<hostname>`. Keep it fixed: after a restart Herald first reads the entries it had not acknowledged under it.' }),
  field: Type.String({ default: 'event', minLength: 1, description: 'The entry field that holds the body (the `redis:` backend writes `event`). An entry without it is acknowledged and counted as `not_an_event`.' }),
  start_id: Type.String({ default: '$', minLength: 1, description: 'Where a group Herald creates starts: `$` (entries added from then on) or `0` (the whole stream). An existing group keeps its position.' }),
  batch: Type.Integer({ minimum: 1, maximum: 10_000, default: 256, description: 'Entries read per `XREADGROUP`; each is acknowledged (`XACK`) after the bus took it (and every at-least-once spool has it).' }),
  claim_idle_ms: Type.Integer({ minimum: 0, default: 60_000, description: 'At start and after a reconnect, entries another consumer left pending this long are claimed (`XAUTOCLAIM`): they belonged to a consumer that died.' }),
  connect_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 5000, description: 'Give up a connection attempt after this long; the client keeps reconnecting with backoff up to 2 s.' }),
  retry_ms: Type.Integer({ minimum: 1, default: 200, description: 'While the bus cannot take more, entries stay pending and are read again after this long.' }),
  ...brokerSourceOptions('Redis'),
}, { additionalProperties: false, default: {} });

export const IngestSection = Type.Object({
  require_token: Type.Boolean({ default: false, description: 'Ask for the MI token on loopback too (it is always asked for off loopback): `Authorization: Bearer`, URL credentials or `?token=`.' }),
  retry_after_s: Type.Integer({ minimum: 1, default: 1, description: 'The Retry-After given with a 429 when the bus cannot take more.' }),
  http: IngestHttpSection,
  dovecot: IngestDovecotSection,
  opensips: IngestOpensipsSection,
  ome: IngestOmeSection,
  nats: IngestNatsSection,
  rabbitmq: IngestRabbitmqSection,
  mqtt: IngestMqttSection,
  redis: IngestRedisSection,
}, { additionalProperties: false, default: {} });
