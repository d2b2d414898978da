import type { BackendRegistry } from '../bus/backend-registry.js';
import { HeraldError } from '../errors/herald-error.js';
import { eventStoreBackends } from './event-store/index.js';
import { flatstoreBackend } from './flatstore/index.js';
import { httpBackend, httpsBackend } from './http/index.js';
import { jsonlBackend } from './jsonl/index.js';
import { memoryBackend } from './memory/index.js';
import { mqttBackend, mqttsBackend } from './mqtt/index.js';
import { natsBackend } from './nats/index.js';
import { rabbitmqBackend } from './rabbitmq/index.js';
import { redisBackend, redissBackend } from './redis/index.js';
import { tcpBackend } from './tcp/index.js';
import { udpBackend } from './udp/index.js';
import { virtualBackend } from './virtual/index.js';

export interface ShippedBackendOptions {
  /**
   * Whether `memory:` may be subscribed. Default true (tests, embedding); `herald serve`
   * passes delivery.memory_transport (default false): a daemon's memory store only grows.
   */
  readonly memory?: boolean;
}

/** `memory:` in a daemon that does not allow it: subscribing is refused, naming the option. */
const refusedMemoryBackend = {
  ...memoryBackend,
  create: () => {
    throw new HeraldError('HERALD_ERR_NOT_ALLOWED',
      'memory: is a test transport (its events pile up inside the daemon, where nothing reads them); set delivery.memory_transport: true to allow it');
  },
};

/** Registers every backend Herald ships. One line per transport. */
export function registerShippedBackends(registry: BackendRegistry, options: ShippedBackendOptions = {}): BackendRegistry {
  registry.register(options.memory === false ? refusedMemoryBackend : memoryBackend);
  registry.register(flatstoreBackend);
  registry.register(jsonlBackend);
  registry.register(udpBackend);
  registry.register(tcpBackend);
  registry.register(httpBackend);
  registry.register(httpsBackend);
  for (const store of eventStoreBackends) registry.register(store);
  registry.register(rabbitmqBackend);
  registry.register(mqttBackend);
  registry.register(mqttsBackend);
  registry.register(redisBackend);
  registry.register(redissBackend);
  registry.register(natsBackend);
  registry.register(virtualBackend);
  return registry;
}
