import type { Backend, BackendContext } from './backend.js';
import type { BackendRegistry } from './backend-registry.js';
import { parseSocket } from './socket.js';

interface PooledBackend {
  readonly backend: Backend;
  refs: number;
}

/**
 * One backend per distinct socket, shared by every subscription to it and closed
 * when the last one goes: OpenSIPS users expect subscribers of one file to share it.
 */
export class BackendPool {
  readonly #registry: BackendRegistry;
  readonly #ctx: BackendContext;
  readonly #signal: AbortSignal;
  readonly #entries = new Map<string, PooledBackend>();
  readonly #opening = new Map<string, Promise<PooledBackend>>();

  constructor(registry: BackendRegistry, ctx: BackendContext, signal: AbortSignal) {
    this.#registry = registry;
    this.#ctx = ctx;
    this.#signal = signal;
  }

  /** Opens (or reuses) the backend for a socket and takes a reference on it. */
  async acquire(socket: string): Promise<Backend> {
    const existing = this.#entries.get(socket);
    if (existing !== undefined) {
      existing.refs++;
      return existing.backend;
    }
    let opening = this.#opening.get(socket);
    if (opening === undefined) {
      opening = this.#open(socket);
      this.#opening.set(socket, opening);
    }
    try {
      const entry = await opening;
      entry.refs++;
      return entry.backend;
    } finally {
      this.#opening.delete(socket);
    }
  }

  /** Drops a reference; the last one flushes and closes the backend. */
  async release(socket: string): Promise<void> {
    const entry = this.#entries.get(socket);
    if (entry === undefined) return;
    entry.refs--;
    if (entry.refs > 0) return;
    this.#entries.delete(socket);
    await closeQuietly(entry.backend, this.#ctx);
  }

  async closeAll(): Promise<void> {
    const entries = [...this.#entries.values()];
    this.#entries.clear();
    await Promise.all(entries.map((entry) => closeQuietly(entry.backend, this.#ctx)));
  }

  async flushAll(): Promise<void> {
    await Promise.all([...this.#entries.values()].map((entry) => entry.backend.flush().catch(() => undefined)));
  }

  async #open(socket: string): Promise<PooledBackend> {
    const address = parseSocket(socket);
    const backend = this.#registry.get(address.transport).create(address, this.#ctx);
    await backend.open(this.#signal);
    const entry: PooledBackend = { backend, refs: 0 };
    this.#entries.set(socket, entry);
    return entry;
  }
}

async function closeQuietly(backend: Backend, ctx: BackendContext): Promise<void> {
  try {
    await backend.close();
  } catch (error) {
    ctx.logger.warn({ err: error }, 'Backend failed to close cleanly.');
  }
}
