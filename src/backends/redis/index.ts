import type { BackendContext, BackendFactory, NetworkDestination } from '../../bus/backend.js';
import type { SocketAddress } from '../../bus/socket.js';
import { parseBrokerUrl, type BrokerUrl } from '../shared/broker-url.js';
import { socketOptions } from '../shared/socket-schema.js';
import { compileTopicTemplate } from '../shared/topic-template.js';
import { RedisBackend } from './redis-backend.js';
import { RedisOptionsSchema } from './schema.js';

/** Redis keys are binary-safe; only NUL is kept out, for the consumers that read them as C strings. */
const UNSAFE_IN_KEY_VALUE = /\0/g;

function brokerUrl(address: SocketAddress): BrokerUrl {
  return parseBrokerUrl(address.socket, address.transport, address.address, 6379, 'rediss');
}

function create(address: SocketAddress, ctx: BackendContext): RedisBackend {
  const url = brokerUrl(address);
  const key = compileTopicTemplate(address.socket, url.path, UNSAFE_IN_KEY_VALUE);
  const options = socketOptions(address.socket, RedisOptionsSchema, address.options);
  return new RedisBackend({ socket: address.socket, url, key, options, ctx });
}

function destinations(address: SocketAddress): readonly NetworkDestination[] {
  const { host, port } = brokerUrl(address);
  return [{ host, port }];
}

const description = 'Redis Streams XADD (approximate MAXLEN trimming) or PUBLISH, one pipeline per batch (docs/backends/redis.md).';

/** `redis://[[user]:password@]host[:port]/stream-template[?mode=publish&maxlen=…&db=…]` (docs/backends/redis.md). */
export const redisBackend: BackendFactory = { transport: 'redis', description, destinations, create };
/** The same over TLS. */
export const redissBackend: BackendFactory = { transport: 'rediss', description, destinations, create };
