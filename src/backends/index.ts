import type { BackendRegistry } from '../bus/backend-registry.js';
import { flatstoreBackend } from './flatstore/index.js';
import { httpBackend, httpsBackend } from './http/index.js';
import { jsonlBackend } from './jsonl/index.js';
import { memoryBackend } from './memory/index.js';
import { tcpBackend } from './tcp/index.js';
import { udpBackend } from './udp/index.js';

/** Registers every backend Herald ships. One line per transport. */
export function registerShippedBackends(registry: BackendRegistry): BackendRegistry {
  registry.register(memoryBackend);
  registry.register(flatstoreBackend);
  registry.register(jsonlBackend);
  registry.register(udpBackend);
  registry.register(tcpBackend);
  registry.register(httpBackend);
  registry.register(httpsBackend);
  return registry;
}
