import { Bus, type BusOptions } from '../../src/bus/bus.js';
import { BackendRegistry } from '../../src/bus/backend-registry.js';
import { registerShippedBackends } from '../../src/backends/index.js';
import { createDefaultCatalogue } from '../../src/events/packs/index.js';

/** A bus with every shipped pack and backend, closed after the test. */
export function testBus(t: { after(fn: () => Promise<void> | void): void }, options: BusOptions = {}): Bus {
  const bus = new Bus({
    catalogue: createDefaultCatalogue(),
    backends: registerShippedBackends(new BackendRegistry()),
    ...options,
  });
  t.after(() => bus.close({ deadlineMs: 1000 }));
  return bus;
}

let counter = 0;
/** A memory socket name unique to this process run. */
export function uniqueMemorySocket(label: string): string {
  counter++;
  return `memory:${label}-${process.pid}-${counter}`;
}
