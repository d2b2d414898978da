import { WRITE_OK, type Backend, type BackendFactory, type WriteResult } from '../../bus/backend.js';
import type { HeraldEvent } from '../../events/event.js';
import { NO_DESTINATIONS } from '../shared/destinations.js';

/** A named in-memory store; `memory:NAME` subscribers append to it. For tests and embedding. */
export class MemoryStore {
  readonly events: HeraldEvent[] = [];
  readonly #waiters: Array<{ count: number; resolve: () => void }> = [];

  push(batch: readonly HeraldEvent[]): void {
    this.events.push(...batch);
    for (const waiter of [...this.#waiters]) {
      if (this.events.length >= waiter.count) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves once at least `count` events have arrived. */
  waitFor(count: number): Promise<void> {
    if (this.events.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  clear(): void {
    this.events.length = 0;
  }
}

const stores = new Map<string, MemoryStore>();
/** Open backends per store name: the store is forgotten when its last backend closes. */
const users = new Map<string, number>();

/**
 * The store behind `memory:NAME`, created on first use. Once the last `memory:NAME`
 * subscriber is gone the name is forgotten (a reference already held keeps its events),
 * so unsubscribed stores never pile up in a long-running process.
 */
export function memoryStore(name: string): MemoryStore {
  let store = stores.get(name);
  if (store === undefined) {
    store = new MemoryStore();
    stores.set(name, store);
  }
  return store;
}

class MemoryBackend implements Backend {
  readonly #name: string;
  readonly #store: MemoryStore;
  #closed = false;

  constructor(name: string) {
    this.#name = name;
    this.#store = memoryStore(name);
    users.set(name, (users.get(name) ?? 0) + 1);
  }

  async open(): Promise<void> {}

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closed) return { status: 'failed', error: new Error('memory backend is closed') };
    this.#store.push(batch);
    return WRITE_OK;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const left = (users.get(this.#name) ?? 1) - 1;
    if (left > 0) {
      users.set(this.#name, left);
    } else {
      users.delete(this.#name);
      if (stores.get(this.#name) === this.#store) stores.delete(this.#name);
    }
  }
}

export const memoryBackend: BackendFactory = {
  transport: 'memory',
  destinations: NO_DESTINATIONS,
  description: 'In-process store, read with memoryStore(NAME). For tests and embedding.',
  create: (address) => new MemoryBackend(address.address),
};
