import { HeraldError, toError } from '../errors/herald-error.js';
import type { HeraldEvent } from '../events/event.js';
import type { Backend, RefusedEvents, WriteResult } from './backend.js';
import { unwatchWrite, watchWrite, type WatchedWriter } from './write-watchdog.js';

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
  /**
   * After a write, events wait up to this long to join the next batch; the first
   * event after a quiet spell still goes out on the next event-loop turn.
   * 0 writes on every turn. Default 5.
   */
  readonly lingerMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = Object.freeze({
  maxQueueEvents: 10_000,
  maxBatchEvents: 512,
  writeTimeoutMs: 10_000,
  retryBaseMs: 100,
  retryMaxMs: 10_000,
  lingerMs: 5,
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

interface InFlightWrite {
  readonly batch: readonly HeraldEvent[];
  readonly startedTick: number;
}

/**
 * One subscriber's bounded queue. `enqueue` is synchronous and never blocks: when
 * the queue is full the newest event is dropped and counted. A single pump writes
 * one batch at a time, so a slow or hung backend only ever holds up its own queue.
 */
export class DeliveryRunner implements WatchedWriter {
  readonly counters: DeliveryCounters = { delivered: 0, dropped: 0, failed: 0, retries: 0, lastError: undefined };
  readonly #backend: Backend;
  readonly #options: DeliveryOptions;
  #queue: HeraldEvent[] = [];
  #inFlight: InFlightWrite | undefined;
  #scheduled = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #lingerTimer: NodeJS.Timeout | undefined;
  #idleWaiters: Array<() => void> = [];

  readonly #onSettled: SettledListener | undefined;
  /** A linger ends early at a full batch or a half-full queue: waiting must never cause a drop. */
  readonly #flushAt: number;

  constructor(backend: Backend, options: DeliveryOptions, onSettled?: SettledListener) {
    this.#backend = backend;
    this.#options = options;
    this.#flushAt = Math.max(1, Math.min(options.maxBatchEvents, Math.ceil(options.maxQueueEvents / 2)));
    this.#onSettled = onSettled;
  }

  /** Events waiting, including a batch being written. */
  get queueDepth(): number {
    return this.#queue.length + (this.#inFlight?.batch.length ?? 0);
  }

  /** How full the queue is: 0 empty, 1 full (the next event would be dropped). */
  get fill(): number {
    return this.queueDepth / this.#options.maxQueueEvents;
  }

  /** Returns false when the event was dropped because the queue is full. */
  enqueue(event: HeraldEvent): boolean {
    if (this.queueDepth >= this.#options.maxQueueEvents) {
      this.counters.dropped++;
      return false;
    }
    this.#queue.push(event);
    if (this.#lingerTimer !== undefined && this.#queue.length >= this.#flushAt) this.#endLinger();
    this.#schedule();
    return true;
  }

  /** Resolves once the queue is empty and nothing is in flight, or when `signal` aborts. */
  idle(signal?: AbortSignal): Promise<void> {
    if (this.#queue.length === 0 && this.#inFlight === undefined) return Promise.resolve();
    // Someone waits for this queue: a pending retry must keep the process alive,
    // and a linger would only make them wait.
    this.#retryTimer?.ref();
    if (this.#lingerTimer !== undefined) {
      this.#endLinger();
      this.#schedule();
    }
    return new Promise((resolve) => {
      this.#idleWaiters.push(resolve);
      signal?.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Stops retrying and forgets queued events, counting them as dropped. Returns how many. */
  discard(): number {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#endLinger();
    // A write still in flight at shutdown is abandoned: its batch counts as dropped too.
    const discarded = this.queueDepth;
    this.counters.dropped += discarded;
    if (this.#inFlight !== undefined) unwatchWrite(this);
    this.#inFlight = undefined;
    this.#queue = [];
    this.#notifyIdle();
    return discarded;
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight !== undefined || this.#retryTimer !== undefined || this.#lingerTimer !== undefined) return;
    this.#scheduled = true;
    // setImmediate lets every raise of the current tick join one batch.
    setImmediate(this.#onImmediate);
  }

  readonly #onImmediate = (): void => {
    this.#scheduled = false;
    this.#pump();
  };

  /**
   * Events raised while the last write was settling wait for the linger to
   * end, so a busy subscriber gets one write per linger instead of one per
   * event-loop turn: per-turn scheduling forced an extra loop iteration, which
   * measured as most of the delivery cost under an HTTP load
   * (docs/benchmarks.md, instrument).
   */
  readonly #onLinger = (): void => {
    this.#lingerTimer = undefined;
    this.#pump();
  };

  #endLinger(): void {
    if (this.#lingerTimer === undefined) return;
    clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
  }

  /**
   * Starts the next write. Written with callbacks rather than async/await: at one
   * event per event-loop turn the promises and closures of an async pump were most
   * of the delivery cost (docs/benchmarks.md, instrument).
   */
  #pump(): void {
    if (this.#inFlight !== undefined) return;
    if (this.#queue.length === 0) {
      this.#notifyIdle();
      return;
    }
    const batch = this.#queue.length <= this.#options.maxBatchEvents ? this.#queue : this.#queue.slice(0, this.#options.maxBatchEvents);
    if (batch === this.#queue) this.#queue = [];
    else this.#queue.splice(0, batch.length);
    const write: InFlightWrite = { batch, startedTick: watchWrite(this) };
    this.#inFlight = write;
    let pending: Promise<WriteResult>;
    try {
      pending = this.#backend.write(batch);
    } catch (thrown) {
      // A backend that breaks the contract and throws synchronously is contained here.
      this.#settle(write, { status: 'failed', error: toError(thrown) });
      return;
    }
    pending.then((result) => this.#settle(write, result), (thrown: unknown) => this.#settle(write, { status: 'failed', error: toError(thrown) }));
  }

  /** Called by the watchdog; abandons the in-flight write as retryable. */
  expireWrite(): void {
    const write = this.#inFlight;
    if (write === undefined) return;
    const timeoutMs = this.#options.writeTimeoutMs;
    this.#settle(write, {
      status: 'retryable',
      error: new HeraldError('HERALD_ERR_WRITE_TIMEOUT', `Backend write did not settle within ${timeoutMs} ms`),
    });
  }

  get writeTimeoutMs(): number {
    return this.#options.writeTimeoutMs;
  }

  get writeStartedTick(): number | undefined {
    return this.#inFlight?.startedTick;
  }

  #settle(write: InFlightWrite, result: WriteResult): void {
    // A late answer from a write the watchdog already abandoned is ignored.
    if (this.#inFlight !== write) return;
    this.#inFlight = undefined;
    unwatchWrite(this);
    if (result.status === 'retryable') {
      // Back at the head of the queue, ahead of anything raised meanwhile.
      this.#queue = this.#queue.length === 0 ? [...write.batch] : [...write.batch, ...this.#queue];
      this.#scheduleRetry(result);
      return;
    }
    this.#attempt = 0;
    if (result.status === 'ok' && result.refused !== undefined) this.#settlePartly(write.batch, result.refused);
    else if (result.status === 'ok') {
      this.counters.delivered += write.batch.length;
      this.#onSettled?.(write.batch, 'delivered');
    } else {
      this.counters.failed += write.batch.length;
      this.counters.lastError = result.error.message;
      this.#onSettled?.(write.batch, 'failed');
    }
    if (this.#queue.length === 0) this.#notifyIdle();
    // Nobody waits for a drain and the queue is short: let the next batch fill up.
    if (this.#options.lingerMs > 0 && this.#queue.length < this.#flushAt && this.#idleWaiters.length === 0) {
      this.#lingerTimer = setTimeout(this.#onLinger, this.#options.lingerMs);
    } else if (this.#queue.length > 0) this.#schedule();
  }

  /** A written batch of which the backend refused some events for good. */
  #settlePartly(batch: readonly HeraldEvent[], refused: RefusedEvents): void {
    const isRefused = new Set(refused.indexes);
    const failed = batch.filter((_, index) => isRefused.has(index));
    const delivered = batch.filter((_, index) => !isRefused.has(index));
    this.counters.delivered += delivered.length;
    this.counters.failed += failed.length;
    this.counters.lastError = refused.error.message;
    this.#onSettled?.(delivered, 'delivered');
    this.#onSettled?.(failed, 'failed');
  }

  #scheduleRetry(result: Extract<WriteResult, { status: 'retryable' }>): void {
    this.counters.retries++;
    this.counters.lastError = result.error.message;
    const backoff = Math.min(this.#options.retryMaxMs, this.#options.retryBaseMs * 2 ** this.#attempt);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    const delay = Math.max(result.retryAfterMs ?? 0, backoff * (0.5 + Math.random() / 2));
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      this.#pump();
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
