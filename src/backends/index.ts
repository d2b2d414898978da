import type { BackendRegistry } from '../bus/backend-registry.js';
import { memoryBackend } from './memory/index.js';

/** Registers every backend Herald ships. One line per transport. */
export function registerShippedBackends(registry: BackendRegistry): BackendRegistry {
  registry.register(memoryBackend);
  return registry;
}
