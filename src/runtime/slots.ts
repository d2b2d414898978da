import { HeraldError } from '../errors/herald-error.js';

/**
 * What services publish for each other, by slot name. Empty here: each module
 * that provides a slot adds it by declaration merging next to its starter, e.g.
 *
 *   declare module '../runtime/slots.js' { interface Slots { 'trace.store': TraceStore } }
 *
 * so a reader gets the provider's type without a cast and a misspelt name fails to compile.
 */
export interface Slots {}

/** A slot's name. */
export type SlotKey = keyof Slots;

/** The daemon's slots: at most one value per name, typed by {@link Slots}. */
export class SlotTable {
  readonly #values: Partial<Slots> = {};

  /** The slot's value, or undefined when no running service provides it. */
  get<K extends SlotKey>(key: K): Slots[K] | undefined {
    return this.#values[key];
  }

  /**
   * The slot's value for a service that cannot run without it.
   * @throws HeraldError HERALD_ERR_SLOT_MISSING naming the slot and the service.
   */
  require<K extends SlotKey>(key: K, neededBy: string): Slots[K] {
    const value = this.#values[key];
    if (value === undefined) throw new HeraldError('HERALD_ERR_SLOT_MISSING', `Service "${neededBy}" needs slot "${key}", which no running service provides`);
    return value;
  }

  has(key: SlotKey): boolean {
    return this.#values[key] !== undefined;
  }

  set<K extends SlotKey>(key: K, value: Slots[K]): this {
    this.#values[key] = value;
    return this;
  }

  delete(key: SlotKey): void {
    delete this.#values[key];
  }
}
