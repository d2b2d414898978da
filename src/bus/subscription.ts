import type { HeraldEvent } from '../events/event.js';
import type { DeliveryCounters } from './delivery-runner.js';
import type { StaticEventView, Verdict } from './filter/index.js';

/** What a subscriber listens to: one event by name, or a filter expression. */
export type SubscriptionTarget = { readonly event: string; readonly filter?: undefined } | { readonly filter: string; readonly event?: undefined };

/** What the bus needs of a subscriber's delivery: DeliveryRunner (at-most-once) or SpoolRunner (at-least-once). */
export interface SubscriberRunner {
  readonly counters: DeliveryCounters;
  readonly queueDepth: number;
  /** How full the queue is: 0 empty, 1 full (the next event would be dropped). */
  readonly fill: number;
  /** Bytes in the disk spool (at-least-once only). */
  readonly spoolBytes?: number;
  /** At-least-once: the time (epoch µs) of the oldest event not yet acknowledged, if any waits. */
  readonly oldestTimeUs?: number;
  enqueue(event: HeraldEvent): boolean;
  idle(signal?: AbortSignal): Promise<void>;
  /** Stops delivery; returns how many queued events were thrown away (counted as discarded, issue 12 point 12). */
  discard(): number;
  /** After discard, when the subscription is gone for good (unsubscribed, expired): delete what is kept on disk. */
  forget?(): void;
  /** at-least-once: resolves once every event enqueued so far is in the disk spool (or was refused there and counted). */
  appended?(): Promise<void>;
}

/** `at-most-once`: a bounded memory queue, drops counted; `at-least-once`: a disk spool that survives restarts. */
export type DeliveryMode = 'at-most-once' | 'at-least-once';

export interface Subscription {
  readonly id: number;
  readonly socket: string;
  readonly target: SubscriptionTarget;
  readonly key: string;
  readonly runner: SubscriberRunner;
  readonly mode: DeliveryMode;
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
  readonly mode: DeliveryMode;
  /** at-least-once: unacknowledged bytes in the disk spool. */
  readonly spoolBytes?: number;
  /** at-least-once: how old (ms, by its event time) the oldest unacknowledged event is; 0 when none waits. */
  readonly spoolOldestAgeMs?: number;
  readonly lastError?: string;
}

export function subscriptionKey(socket: string, target: SubscriptionTarget): string {
  return target.event !== undefined ? `${socket}\u0000event:${target.event}` : `${socket}\u0000filter:${target.filter}`;
}

export function expiresAtMs(sub: Subscription): number {
  return sub.expireSeconds === null ? Number.POSITIVE_INFINITY : sub.subscribedAtMs + sub.expireSeconds * 1000;
}

function oldestAgeMs(runner: SubscriberRunner, nowMs: number): number {
  const oldest = runner.oldestTimeUs;
  return oldest === undefined ? 0 : Math.max(0, Math.round(nowMs - oldest / 1000));
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
    mode: sub.mode,
    ...(sub.runner.spoolBytes !== undefined ? { spoolBytes: sub.runner.spoolBytes, spoolOldestAgeMs: oldestAgeMs(sub.runner, nowMs) } : {}),
    ...(counters.lastError !== undefined ? { lastError: counters.lastError } : {}),
  };
}
