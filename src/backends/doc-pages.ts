import type { TObject } from '@sinclair/typebox';
import { EventStoreOptionsSchema } from './event-store/schema.js';
import { FlatstoreOptionsSchema } from './flatstore/schema.js';
import { HttpOptionsSchema } from './http/schema.js';
import { JsonlOptionsSchema } from './jsonl/schema.js';
import { MqttOptionsSchema } from './mqtt/schema.js';
import { RabbitmqOptionsSchema } from './rabbitmq/schema.js';
import { RedisOptionsSchema } from './redis/schema.js';
import { NatsOptionsSchema } from './nats/schema.js';
import { TcpOptionsSchema } from './tcp/schema.js';
import { UdpOptionsSchema } from './udp/schema.js';

/** Each backend's page under docs/backends/ and the schema its generated options table comes from. */
export const BACKEND_DOC_PAGES: ReadonlyArray<{ readonly page: string; readonly schema: TObject }> = [
  { page: 'docs/backends/flatstore.md', schema: FlatstoreOptionsSchema },
  { page: 'docs/backends/jsonl.md', schema: JsonlOptionsSchema },
  { page: 'docs/backends/udp.md', schema: UdpOptionsSchema },
  { page: 'docs/backends/tcp.md', schema: TcpOptionsSchema },
  { page: 'docs/backends/http.md', schema: HttpOptionsSchema },
  { page: 'docs/backends/event-store.md', schema: EventStoreOptionsSchema },
  { page: 'docs/backends/rabbitmq.md', schema: RabbitmqOptionsSchema },
  { page: 'docs/backends/mqtt.md', schema: MqttOptionsSchema },
  { page: 'docs/backends/redis.md', schema: RedisOptionsSchema },
  { page: 'docs/backends/nats.md', schema: NatsOptionsSchema },
];
