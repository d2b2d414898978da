import { expiresAtMs, type Subscription } from './subscription.js';

const NONE: readonly Subscription[] = Object.freeze([]);

/**
 * Subscriptions indexed for the raise path: by event id, plus the filter
 * subscriptions that may match anything. `hot(id)` is the whole cost of a raise
 * nobody listens to, so it is one flag check and one typed-array read.
 */
export class SubscriptionIndex {
  readonly #byKey = new Map<string, Subscription>();
  #byEventId: Array<Subscription[] | undefined> = [];
  #filtered: Subscription[] = [];
  #hotIds = new Uint8Array(256);
  /** True when a filter subscription or a tap exists: then every event is hot. */
  #everything = false;
  #tapped = false;
  nextExpiryMs = Number.POSITIVE_INFINITY;

  hot(id: number): boolean {
    return this.#everything || this.#hotIds[id] === 1;
  }

  get(key: string): Subscription | undefined {
    return this.#byKey.get(key);
  }

  all(): Subscription[] {
    return [...this.#byKey.values()];
  }

  /** Event subscribers of `id` (copy-on-write array: safe to iterate while subscriptions change). */
  eventSubscribers(id: number): readonly Subscription[] {
    return this.#byEventId[id] ?? NONE;
  }

  /** Filter subscribers, which may match any event (copy-on-write array). */
  filterSubscribers(): readonly Subscription[] {
    return this.#filtered;
  }

  add(sub: Subscription, eventId: number | undefined): void {
    this.#byKey.set(sub.key, sub);
    if (eventId === undefined) this.#filtered = [...this.#filtered, sub];
    else this.#byEventId[eventId] = [...(this.#byEventId[eventId] ?? []), sub];
    this.#rebuild();
  }

  remove(sub: Subscription): boolean {
    if (this.#byKey.get(sub.key) !== sub) return false;
    this.#byKey.delete(sub.key);
    // Copy-on-write: a raise iterating the old array is not disturbed.
    this.#filtered = this.#filtered.filter((other) => other !== sub);
    this.#byEventId = this.#byEventId.map((subs) => subs?.filter((other) => other !== sub));
    this.#rebuild();
    return true;
  }

  clear(): void {
    this.#byKey.clear();
    this.#byEventId = [];
    this.#filtered = [];
    this.#rebuild();
  }

  setTapped(tapped: boolean): void {
    this.#tapped = tapped;
    this.#rebuild();
  }

  /** Expiry changes on refresh too, so callers re-run this via add/remove or `touch`. */
  touch(): void {
    this.#rebuild();
  }

  #rebuild(): void {
    const size = Math.max(256, this.#byEventId.length);
    const hotIds = new Uint8Array(size);
    this.#byEventId.forEach((subs, id) => {
      if (subs !== undefined && subs.length > 0) hotIds[id] = 1;
    });
    this.#hotIds = hotIds;
    this.#everything = this.#filtered.length > 0 || this.#tapped;
    let next = Number.POSITIVE_INFINITY;
    for (const sub of this.#byKey.values()) next = Math.min(next, expiresAtMs(sub));
    this.nextExpiryMs = next;
  }
}
