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

export interface BusStatistics {
  readonly events: Readonly<Record<string, EventStatistics>>;
  readonly subscribers: readonly SubscriberInfo[];
  readonly totals: {
    readonly raised: number;
    readonly delivered: number;
    readonly dropped: number;
    readonly failed: number;
    readonly queued: number;
  };
}

/** Per-event counters. Kept off the no-listener path on purpose: that path must stay free. */
export class EventCounters {
  readonly #events = new Map<string, { raised: number; dropped: number; delivered: number; failed: number }>();

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

  snapshot(subscribers: readonly SubscriberInfo[]): BusStatistics {
    const events: Record<string, EventStatistics> = {};
    let raised = 0;
    for (const [name, entry] of this.#events) {
      events[name] = { ...entry };
      raised += entry.raised;
    }
    const sum = (pick: (s: SubscriberInfo) => number) => subscribers.reduce((total, s) => total + pick(s), 0);
    return {
      events,
      subscribers,
      totals: {
        raised,
        delivered: sum((s) => s.delivered),
        dropped: sum((s) => s.dropped),
        failed: sum((s) => s.failed),
        queued: sum((s) => s.queueDepth),
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
