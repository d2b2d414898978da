import type { Bus } from '../../src/bus/bus.js';
import { memoryStore, type MemoryStore } from '../../src/backends/memory/index.js';
import type { HeraldEvent } from '../../src/events/event.js';
import { uniqueMemorySocket } from '../helpers/bus.js';

/** Subscribes a fresh memory: store to an event name or a filter; returns the store. */
export async function collect(bus: Bus, target: { event: string } | { filter: string }): Promise<MemoryStore> {
  const socket = uniqueMemorySocket('process');
  await bus.subscribe(socket, target);
  return memoryStore(socket.slice('memory:'.length));
}

/** Polls until `find` returns something (or fails after `timeoutMs`, naming what it waited for). */
export async function until<T>(what: string, find: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The first event in the store matching `predicate`, waiting for it. */
export function eventWhere(store: MemoryStore, what: string, predicate: (event: HeraldEvent) => boolean, timeoutMs?: number): Promise<HeraldEvent> {
  return until(what, () => store.events.find(predicate), timeoutMs);
}

/** Burns CPU on the calling thread: a handler or loop that blocks. */
export function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

/**
 * The first lines of a herald.yaml for a daemon under test: its own data dir, no
 * management interface, and no collectors, whose default ports would collide with
 * other daemons under test.
 */
export function isolatedDaemonYaml(dataDir: string): string[] {
  // memory_transport: the tests read their subscribers through memory:NAME, which a daemon refuses unless asked.
  return [`data_dir: ${dataDir}`, 'mi:', '  enabled: false', 'hep:', '  enabled: false', 'sip:', '  enabled: false', 'ingest:', '  http:', '    enabled: false', '  opensips:', '    enabled: false', 'delivery:', '  memory_transport: true'];
}
