import { defineEvent, type EventDef } from './define.js';
import type { Level } from './level.js';

/** Same rule as defineEvent: a bare token, so filters and sockets can name it. */
const UNTYPED_NAME = /^[A-Za-z][A-Za-z0-9_.:-]{0,127}$/;

export interface UntypedSpec {
  readonly name: string;
  /** The source's pack name (`dovecot`, `ovenmediaengine`, `opensips`, `ingest`). */
  readonly pack: string;
  readonly category: string;
  readonly level: Level;
}

export type UntypedLookup =
  | { readonly ok: true; readonly def: EventDef }
  | { readonly ok: false; readonly reason: 'invalid_name' | 'untyped_limit'; readonly message: string };

/**
 * Definitions for events the catalogue does not know, made on first sight: open
 * (any fields), no declared params, kept out of the catalogue. A name keeps the
 * category and level it was first seen with. Bounded, because every definition
 * takes an id for the life of the process and names come from the network.
 */
export class UntypedDefs {
  readonly #byKey = new Map<string, EventDef>();
  readonly #limit: number;

  /** `limit`: distinct untyped names per process (default 1000). */
  constructor(limit = 1000) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#byKey.size;
  }

  lookup(spec: UntypedSpec): UntypedLookup {
    const key = `${spec.pack}\u0000${spec.name}`;
    const known = this.#byKey.get(key);
    if (known !== undefined) return { ok: true, def: known };
    if (!UNTYPED_NAME.test(spec.name)) {
      return { ok: false, reason: 'invalid_name', message: `Event name ${JSON.stringify(spec.name.slice(0, 80))} is not a bare token of at most 128 characters (${UNTYPED_NAME})` };
    }
    if (this.#byKey.size >= this.#limit) {
      return { ok: false, reason: 'untyped_limit', message: `Unknown event ${spec.name}: already ${this.#limit} distinct untyped event names` };
    }
    const def = defineEvent({
      name: spec.name,
      pack: spec.pack,
      category: spec.category,
      level: spec.level,
      description: `An event the catalogue does not declare, accepted untyped from ${spec.pack}.`,
      params: {},
      open: true,
    });
    this.#byKey.set(key, def);
    return { ok: true, def };
  }
}
