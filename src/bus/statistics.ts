import type { SubscriberInfo } from './subscription.js';

export interface EventStatistics {
  /** Raises that had at least one possible listener. */
  readonly raised: number;
  /** Times a subscriber's full queue refused this event. */
  readonly dropped: number;
  /** Deliveries to subscribers' backends (one event to two subscribers counts 2). */
  readonly delivered: number;
  /** Deliveries a backend refused for good or threw on. */
  readonly failed: number;
}

/** Why queued events were thrown away without a write: the subscriber went, lapsed, or shutdown ran out of time. */
export type DiscardReason = 'unsubscribe' | 'expiry' | 'shutdown';

export interface BusStatistics {
  readonly events: Readonly<Record<string, EventStatistics>>;
  readonly subscribers: readonly SubscriberInfo[];
  readonly totals: {
    readonly raised: number;
    readonly delivered: number;
    readonly dropped: number;
    readonly failed: number;
    readonly queued: number;
    /** Queued events thrown away, by reason (also counted in `dropped`). */
    readonly discarded: Readonly<Record<DiscardReason, number>>;
    /** Run-time subscriptions refused because of where they would connect (delivery.allowed_destinations). */
    readonly refused: number;
  };
}

export interface SubscriberTotals {
  readonly delivered: number;
  readonly dropped: number;
  readonly failed: number;
}

/** Per-event counters. Kept off the no-listener path on purpose: that path must stay free. */
export class EventCounters {
  readonly #events = new Map<string, { raised: number; dropped: number; delivered: number; failed: number }>();
  /** What removed subscribers had counted: totals never go down when one goes (issue 12 point 12). */
  readonly #retired = { delivered: 0, dropped: 0, failed: 0 };
  readonly #discarded: Record<DiscardReason, number> = { unsubscribe: 0, expiry: 0, shutdown: 0 };
  #refused = 0;

  /** A run-time subscription was refused by the destination check. */
  refusedSubscription(): void {
    this.#refused++;
  }

  /** Keeps a removed subscriber's counters in the totals; `discarded` of its dropped were thrown away for `reason`. */
  retire(counters: SubscriberTotals, discarded: number, reason: DiscardReason): void {
    this.#retired.delivered += counters.delivered;
    this.#retired.dropped += counters.dropped;
    this.#retired.failed += counters.failed;
    this.#discarded[reason] += discarded;
  }

  raised(name: string): void {
    this.#entry(name).raised++;
  }

  dropped(name: string): void {
    this.#entry(name).dropped++;
  }

  /** Consecutive events of one name (the usual batch) cost one map lookup. */
  settled(batch: readonly { readonly name: string }[], outcome: 'delivered' | 'failed'): void {
    let name: string | undefined;
    let entry: { delivered: number; failed: number } = { delivered: 0, failed: 0 };
    for (const event of batch) {
      if (event.name !== name) {
        name = event.name;
        entry = this.#entry(name);
      }
      entry[outcome]++;
    }
  }

  /** `leaving`: subscribers already unlisted but still draining, so their counts are not missing meanwhile. */
  snapshot(subscribers: readonly SubscriberInfo[], leaving: readonly SubscriberTotals[] = []): BusStatistics {
    const events: Record<string, EventStatistics> = {};
    let raised = 0;
    for (const [name, entry] of this.#events) {
      events[name] = { ...entry };
      raised += entry.raised;
    }
    const sum = (pick: (s: SubscriberTotals) => number) => [...subscribers, ...leaving].reduce((total, s) => total + pick(s), 0);
    return {
      events,
      subscribers,
      totals: {
        raised,
        delivered: this.#retired.delivered + sum((s) => s.delivered),
        dropped: this.#retired.dropped + sum((s) => s.dropped),
        failed: this.#retired.failed + sum((s) => s.failed),
        queued: subscribers.reduce((total, s) => total + s.queueDepth, 0),
        discarded: { ...this.#discarded },
        refused: this.#refused,
      },
    };
  }

  #entry(name: string) {
    let entry = this.#events.get(name);
    if (entry === undefined) {
      entry = { raised: 0, dropped: 0, delivered: 0, failed: 0 };
      this.#events.set(name, entry);
    }
    return entry;
  }
}
