import type { HeraldEvent } from '../events/event.js';
import type { DeliveryRunner } from './delivery-runner.js';
import type { StaticEventView, Verdict } from './filter/index.js';

/** What a subscriber listens to: one event by name, or a filter expression. */
export type SubscriptionTarget = { readonly event: string; readonly filter?: undefined } | { readonly filter: string; readonly event?: undefined };

export interface Subscription {
  readonly id: number;
  readonly socket: string;
  readonly target: SubscriptionTarget;
  readonly key: string;
  readonly runner: DeliveryRunner;
  readonly matches: (event: HeraldEvent) => boolean;
  /** Filter subscriptions: whether the filter matches all, none or some raises of a definition. */
  readonly verdict?: (view: StaticEventView) => Verdict;
  /** Epoch ms of the last (re)subscribe. */
  subscribedAtMs: number;
  /** Seconds, or null for forever. */
  expireSeconds: number | null;
  matched: number;
}

/** Subscriber as listed by `subscribers_list`: expiry and remaining TTL, or "never". */
export interface SubscriberInfo {
  readonly id: number;
  readonly socket: string;
  readonly event?: string;
  readonly filter?: string;
  readonly expire: number | 'never';
  readonly ttl: number | 'never';
  readonly matched: number;
  readonly delivered: number;
  readonly dropped: number;
  readonly failed: number;
  readonly retries: number;
  readonly queueDepth: number;
  readonly lastError?: string;
}

export function subscriptionKey(socket: string, target: SubscriptionTarget): string {
  return target.event !== undefined ? `${socket}\u0000event:${target.event}` : `${socket}\u0000filter:${target.filter}`;
}

export function expiresAtMs(sub: Subscription): number {
  return sub.expireSeconds === null ? Number.POSITIVE_INFINITY : sub.subscribedAtMs + sub.expireSeconds * 1000;
}

export function describeSubscription(sub: Subscription, nowMs: number): SubscriberInfo {
  const { counters } = sub.runner;
  const ttl = sub.expireSeconds === null ? 'never' : Math.max(0, Math.ceil((expiresAtMs(sub) - nowMs) / 1000));
  return {
    id: sub.id,
    socket: sub.socket,
    ...(sub.target.event !== undefined ? { event: sub.target.event } : { filter: sub.target.filter }),
    expire: sub.expireSeconds ?? 'never',
    ttl,
    matched: sub.matched,
    delivered: counters.delivered,
    dropped: counters.dropped,
    failed: counters.failed,
    retries: counters.retries,
    queueDepth: sub.runner.queueDepth,
    ...(counters.lastError !== undefined ? { lastError: counters.lastError } : {}),
  };
}
