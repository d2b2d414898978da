/**
 * Event ids seen lately, bounded by count and by age: a broker's redelivery of a
 * message Herald already took (its ack was lost in a reconnect) is recognised and
 * not raised twice. A Map keeps insertion order, so the oldest id is always first;
 * lru-cache is only a transitive dependency here, and this needs no more than that.
 */
export class RecentIds {
  readonly #maxIds: number;
  readonly #maxAgeMs: number;
  readonly #seenAt = new Map<string, number>();
  readonly #now: () => number;

  constructor(options: { readonly maxIds: number; readonly maxAgeMs: number; readonly now?: () => number }) {
    this.#maxIds = Math.max(1, options.maxIds);
    this.#maxAgeMs = options.maxAgeMs;
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#seenAt.size;
  }

  /** True when `id` was seen within the window (a duplicate); otherwise remembers it and returns false. */
  check(id: string): boolean {
    const now = this.#now();
    this.#expire(now);
    if (this.#seenAt.has(id)) return true;
    this.#seenAt.set(id, now);
    if (this.#seenAt.size > this.#maxIds) {
      const oldest = this.#seenAt.keys().next();
      if (oldest.done !== true) this.#seenAt.delete(oldest.value);
    }
    return false;
  }

  /** Forgets an id that turned out not to be taken (the bus was busy), so its redelivery is not a duplicate. */
  forget(id: string): void {
    this.#seenAt.delete(id);
  }

  #expire(now: number): void {
    for (const [id, at] of this.#seenAt) {
      if (now - at <= this.#maxAgeMs) return;
      this.#seenAt.delete(id);
    }
  }
}
