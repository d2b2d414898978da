import { HeraldError, toError } from '../errors/herald-error.js';
import type { HeraldEvent } from '../events/event.js';
import type { Backend, WriteResult } from './backend.js';
import { unwatchWrite, watchWrite, type WatchedWrite } from './write-watchdog.js';

/** Bounds and pacing for one subscriber's delivery. */
export interface DeliveryOptions {
  /** Events held for a subscriber before new ones are dropped. Default 10000. */
  readonly maxQueueEvents: number;
  /** Largest batch handed to one `write`. Default 512. */
  readonly maxBatchEvents: number;
  /** A write that has not settled by then is abandoned and retried. Default 10000. */
  readonly writeTimeoutMs: number;
  /** First retry delay; doubles up to `retryMaxMs`, with jitter. Default 100. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = Object.freeze({
  maxQueueEvents: 10_000,
  maxBatchEvents: 512,
  writeTimeoutMs: 10_000,
  retryBaseMs: 100,
  retryMaxMs: 10_000,
});

export interface DeliveryCounters {
  delivered: number;
  dropped: number;
  failed: number;
  retries: number;
  lastError: string | undefined;
}

/** Told how each batch ended, so the bus can count per event as well as per subscriber. */
export type SettledListener = (batch: readonly HeraldEvent[], outcome: 'delivered' | 'failed') => void;

/**
 * One subscriber's bounded queue. `enqueue` is synchronous and never blocks: when
 * the queue is full the newest event is dropped and counted. A single pump writes
 * one batch at a time, so a slow or hung backend only ever holds up its own queue.
 */
export class DeliveryRunner {
  readonly counters: DeliveryCounters = { delivered: 0, dropped: 0, failed: 0, retries: 0, lastError: undefined };
  readonly #backend: Backend;
  readonly #options: DeliveryOptions;
  #queue: HeraldEvent[] = [];
  #pumping = false;
  #scheduled = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #idleWaiters: Array<() => void> = [];

  readonly #onSettled: SettledListener | undefined;

  constructor(backend: Backend, options: DeliveryOptions, onSettled?: SettledListener) {
    this.#backend = backend;
    this.#options = options;
    this.#onSettled = onSettled;
  }

  get queueDepth(): number {
    return this.#queue.length;
  }

  /** Returns false when the event was dropped because the queue is full. */
  enqueue(event: HeraldEvent): boolean {
    if (this.#queue.length >= this.#options.maxQueueEvents) {
      this.counters.dropped++;
      return false;
    }
    this.#queue.push(event);
    this.#schedule();
    return true;
  }

  /** Resolves once the queue is empty and nothing is in flight, or when `signal` aborts. */
  idle(signal?: AbortSignal): Promise<void> {
    if (this.#queue.length === 0 && !this.#pumping) return Promise.resolve();
    // Someone waits for this queue: a pending retry must keep the process alive.
    this.#retryTimer?.ref();
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Stops retrying and forgets queued events, counting them as dropped. */
  discard(): void {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.counters.dropped += this.#queue.length;
    this.#queue = [];
    this.#notifyIdle();
  }

  #schedule(): void {
    if (this.#scheduled || this.#pumping || this.#retryTimer !== undefined) return;
    this.#scheduled = true;
    // setImmediate lets every raise of the current tick join one batch.
    setImmediate(() => {
      this.#scheduled = false;
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#queue.slice(0, this.#options.maxBatchEvents);
        const result = await this.#writeWithTimeout(batch);
        if (result.status === 'retryable') {
          this.#scheduleRetry(result);
          return;
        }
        this.#queue.splice(0, batch.length);
        this.#attempt = 0;
        if (result.status === 'ok') this.counters.delivered += batch.length;
        else {
          this.counters.failed += batch.length;
          this.counters.lastError = result.error.message;
        }
        this.#onSettled?.(batch, result.status === 'ok' ? 'delivered' : 'failed');
      }
    } finally {
      this.#pumping = false;
      if (this.#retryTimer === undefined) {
        if (this.#queue.length > 0) this.#schedule();
        else this.#notifyIdle();
      }
    }
  }

  #writeWithTimeout(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    return new Promise<WriteResult>((resolve) => {
      let settled = false;
      const settle = (result: WriteResult) => {
        if (settled) return;
        settled = true;
        unwatchWrite(watched);
        resolve(result);
      };
      const timeoutMs = this.#options.writeTimeoutMs;
      const watched: WatchedWrite = {
        deadlineMs: Date.now() + timeoutMs,
        expire: () => settle({
          status: 'retryable',
          error: new HeraldError('HERALD_ERR_WRITE_TIMEOUT', `Backend write did not settle within ${timeoutMs} ms`),
        }),
      };
      watchWrite(watched);
      try {
        this.#backend.write(batch).then(settle, (thrown: unknown) => settle({ status: 'failed', error: toError(thrown) }));
      } catch (thrown) {
        // A backend that breaks the contract and throws synchronously is contained here.
        settle({ status: 'failed', error: toError(thrown) });
      }
    });
  }

  #scheduleRetry(result: Extract<WriteResult, { status: 'retryable' }>): void {
    this.counters.retries++;
    this.counters.lastError = result.error.message;
    const backoff = Math.min(this.#options.retryMaxMs, this.#options.retryBaseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    const delay = Math.max(result.retryAfterMs ?? 0, backoff * (0.5 + Math.random() / 2));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.#pump();
    }, delay);
    // Backoff alone must not keep a process alive, but a pending drain() must see the retry.
    if (this.#idleWaiters.length === 0) this.#retryTimer.unref();
  }

  #notifyIdle(): void {
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
