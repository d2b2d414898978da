import type { EventDef } from '../events/define.js';
import { Verdict, type StaticEventView } from './filter/index.js';
import type { Observer } from './observer.js';
import { expiresAtMs, type Subscription } from './subscription.js';

const NONE: readonly never[] = Object.freeze([]);

/**
 * Filter subscriptions and observers that may match raises of one definition:
 * matched without a test (`always`), or tested per raise (`depends`).
 */
export interface FilterTargets {
  readonly always: readonly Subscription[];
  readonly depends: readonly Subscription[];
  readonly observeAlways: readonly Observer[];
  readonly observeDepends: readonly Observer[];
}

/**
 * What the filter subscriptions make of one event definition, decided once
 * from its name, category and level (filters that read params are decided
 * per raise). A raise that overrides the level uses `anyLevel`.
 */
export interface FilterPlan {
  /** No raise of the definition, at any level, can match a filter subscription. */
  readonly cold: boolean;
  readonly atOwnLevel: FilterTargets;
  readonly anyLevel: FilterTargets;
}

/** The targets of a definition nothing can match (compare by identity). */
export const NO_TARGETS: FilterTargets = Object.freeze({ always: NONE, depends: NONE, observeAlways: NONE, observeDepends: NONE });
const NO_PLAN: FilterPlan = Object.freeze({ cold: true, atOwnLevel: NO_TARGETS, anyLevel: NO_TARGETS });

function split<T extends { readonly verdict?: (view: StaticEventView) => Verdict }>(
  filtered: readonly T[], view: StaticEventView,
): { always: T[]; depends: T[] } {
  const always: T[] = [];
  const depends: T[] = [];
  for (const item of filtered) {
    const verdict = item.verdict?.(view) ?? Verdict.Depends;
    if (verdict === Verdict.Always) always.push(item);
    else if (verdict === Verdict.Depends) depends.push(item);
  }
  return { always, depends };
}

function targets(filtered: readonly Subscription[], observers: readonly Observer[], view: StaticEventView): FilterTargets {
  const subs = split(filtered, view);
  const seen = split(observers, view);
  if (subs.always.length + subs.depends.length + seen.always.length + seen.depends.length === 0) return NO_TARGETS;
  return { always: subs.always, depends: subs.depends, observeAlways: seen.always, observeDepends: seen.depends };
}

/**
 * Subscriptions indexed for the raise path: by event id, plus the filter
 * subscriptions, planned per event definition on first use. `hot(def)` is the
 * whole cost of a raise nobody listens to: a typed-array read, and with filter
 * subscriptions present one cached plan lookup.
 */
export class SubscriptionIndex {
  readonly #byKey = new Map<string, Subscription>();
  #byEventId: Array<Subscription[] | undefined> = [];
  #filtered: Subscription[] = [];
  #observers: Observer[] = [];
  #hotIds = new Uint8Array(256);
  /** Filter plans by event id, dropped whenever a subscription changes. */
  #plans: Array<FilterPlan | undefined> = [];
  #tapped = false;
  nextExpiryMs = Number.POSITIVE_INFINITY;

  hot(def: EventDef): boolean {
    if (this.#hotIds[def.id] === 1 || this.#tapped) return true;
    return (this.#filtered.length > 0 || this.#observers.length > 0) && !this.filterPlan(def).cold;
  }

  /** How the filter subscriptions treat raises of `def` (cached until subscriptions change). */
  filterPlan(def: EventDef): FilterPlan {
    if (this.#filtered.length === 0 && this.#observers.length === 0) return NO_PLAN;
    const cached = this.#plans[def.id];
    if (cached !== undefined) return cached;
    const atOwnLevel = targets(this.#filtered, this.#observers, { name: def.name, category: def.category, level: def.level });
    const anyLevel = targets(this.#filtered, this.#observers, { name: def.name, category: def.category, level: undefined });
    const plan: FilterPlan = anyLevel === NO_TARGETS ? NO_PLAN : { cold: false, atOwnLevel, anyLevel };
    this.#plans[def.id] = plan;
    return plan;
  }

  get(key: string): Subscription | undefined {
    return this.#byKey.get(key);
  }

  all(): Subscription[] {
    return [...this.#byKey.values()];
  }

  /** The fullest delivery queue (0..1), read without copying: sources ask per datagram. */
  fullestQueue(): number {
    let fullest = 0;
    for (const sub of this.#byKey.values()) fullest = Math.max(fullest, sub.runner.fill);
    return fullest;
  }

  /** Event subscribers of `id` (copy-on-write array: safe to iterate while subscriptions change). */
  eventSubscribers(id: number): readonly Subscription[] {
    return this.#byEventId[id] ?? NONE;
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

  /** Adds an observer. Copy-on-write, as for subscriptions: a raise in progress keeps its arrays. */
  addObserver(observer: Observer): void {
    this.#observers = [...this.#observers, observer];
    this.#plans = [];
  }

  removeObserver(observer: Observer): boolean {
    const before = this.#observers.length;
    this.#observers = this.#observers.filter((other) => other !== observer);
    this.#plans = [];
    return this.#observers.length !== before;
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
    this.#plans = [];
    let next = Number.POSITIVE_INFINITY;
    for (const sub of this.#byKey.values()) next = Math.min(next, expiresAtMs(sub));
    this.nextExpiryMs = next;
  }
}
