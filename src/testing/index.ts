/*
 * `herald/testing`: what tests of an application or a backend use. The memory
 * backend keeps every delivered event in a named in-process store
 * (`memory:NAME` sockets), and the service helpers skip a test when a database
 * or broker is missing, or fail it when HERALD_REQUIRE_SERVICES=1 (CI).
 */
export { memoryBackend, memoryStore, MemoryStore } from '../backends/memory/index.js';
export { reachable, requireService } from './services.js';
