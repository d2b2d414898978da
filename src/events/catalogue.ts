import { HeraldError } from '../errors/herald-error.js';
import type { EventDef } from './define.js';

export interface CatalogueQuery {
  readonly pack?: string;
  readonly category?: string;
}

/** The set of events a bus knows by name. Packs are added at start-up. */
export class Catalogue {
  readonly #byName = new Map<string, EventDef>();

  constructor(defs: Iterable<EventDef> = []) {
    this.add(defs);
  }

  /** @throws HeraldError HERALD_ERR_DUPLICATE_EVENT when a different def has the same name. */
  add(defs: Iterable<EventDef>): this {
    for (const def of defs) {
      const existing = this.#byName.get(def.name);
      if (existing !== undefined && existing !== def) {
        throw new HeraldError('HERALD_ERR_DUPLICATE_EVENT', `Event ${def.name} is already in the catalogue (pack ${existing.pack})`);
      }
      this.#byName.set(def.name, def);
    }
    return this;
  }

  get(name: string): EventDef | undefined {
    return this.#byName.get(name);
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** Events in registration order, optionally narrowed to one pack and/or category. */
  list(query: CatalogueQuery = {}): EventDef[] {
    const out: EventDef[] = [];
    for (const def of this.#byName.values()) {
      if (query.pack !== undefined && def.pack !== query.pack) continue;
      if (query.category !== undefined && def.category !== query.category) continue;
      out.push(def);
    }
    return out;
  }

  packs(): string[] {
    return [...new Set([...this.#byName.values()].map((def) => def.pack))];
  }

  get size(): number {
    return this.#byName.size;
  }
}
