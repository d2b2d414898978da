import { HeraldError } from '../errors/herald-error.js';
import type { BackendFactory } from './backend.js';

/** Transports a bus can deliver to. Serve registers the shipped ones; applications may add theirs. */
export class BackendRegistry {
  readonly #factories = new Map<string, BackendFactory>();

  register(factory: BackendFactory): this {
    this.#factories.set(factory.transport, factory);
    return this;
  }

  /** @throws HeraldError HERALD_ERR_UNKNOWN_TRANSPORT naming the known transports. */
  get(transport: string): BackendFactory {
    const factory = this.#factories.get(transport);
    if (factory === undefined) {
      throw new HeraldError('HERALD_ERR_UNKNOWN_TRANSPORT', `Unknown transport "${transport}" (known: ${this.transports().join(', ')})`);
    }
    return factory;
  }

  transports(): string[] {
    return [...this.#factories.keys()].sort();
  }
}
