import { HeraldError, toError } from '../errors/herald-error.js';
import type { RefusedEvents, WriteResult } from './backend.js';
import { retryDelayMs, type BatchSink, type FailurePolicy, type RetryableResult } from './batch-policy.js';
import { unwatchWrite, watchWrite, type WatchedWriter } from './write-watchdog.js';

/*
 *  enqueue ──▶ bounded queue ──▶ one batch in flight ──▶ sink.write(batch)
 *     │ full: drop + count   │ next turn, or a linger       │ ok: delivered (refused indexes: failed)
 *                            │ (ended by flushAt or idle()) │ retryable: policy retry (backoff) or drop
 *                            │                              │ failed: policy drop, or bisect until the poison is alone
 *  idle(): resolves once nothing is held. close(deadline): drains, discards what is left at the deadline.
 */

export interface BatchRunnerOptions {
  /** Records held (queued, isolated and in flight) before new ones are dropped and counted. */
  readonly maxQueue: number;
  /** Largest batch handed to one write. */
  readonly maxBatch: number;
  /** How long records wait to join a batch after a write (and, with `lingerFirst`, after a quiet spell). 0: every turn. */
  readonly lingerMs: number;
  /** A queue this long ends a linger at once. Default `maxBatch`. */
  readonly flushAt?: number;
  /** The first record after a quiet spell waits the linger too, instead of going out on the next turn. */
  readonly lingerFirst?: boolean;
  /** A write that has not settled by then is abandoned as retryable. Default: writes are not timed. */
  readonly writeTimeoutMs?: number;
  /** First retry delay; doubles up to `retryMaxMs`, with jitter. */
  readonly retryBaseMs: number;
  readonly retryMaxMs: number;
  readonly policy: FailurePolicy;
}

export interface BatchCounters {
  delivered: number;
  /** Refused by a full queue, or discarded (discard(), a close deadline). */
  dropped: number;
  /** Given up by the failure policy, or refused by the sink for good. */
  failed: number;
  retries: number;
  lastError: string | undefined;
}

/** Told how each batch ended; `error` is the sink's reason for a failed one. */
export type BatchSettledListener<T> = (batch: readonly T[], outcome: 'delivered' | 'failed', error?: Error) => void;
/** Told before each retry wait. */
export type BatchRetryListener<T> = (batch: readonly T[], error: Error, attempt: number, delayMs: number) => void;

export interface BatchListeners<T> {
  readonly onSettled?: BatchSettledListener<T>;
  readonly onRetry?: BatchRetryListener<T>;
}

/**
 * A bounded queue in front of one sink, with one write in flight. `enqueue` is synchronous,
 * never blocks and allocates nothing beyond the queue slot; the pump is written with callbacks
 * rather than async/await, because at one record per event-loop turn the promises and closures
 * of an async pump were most of the delivery cost (docs/benchmarks.md, instrument).
 */
export class BatchRunner<T> implements WatchedWriter {
  readonly counters: BatchCounters = { delivered: 0, dropped: 0, failed: 0, retries: 0, lastError: undefined };
  readonly #sink: BatchSink<T>;
  readonly #options: BatchRunnerOptions;
  readonly #flushAt: number;
  readonly #lingerFirst: boolean;
  readonly #onSettled: BatchSettledListener<T> | undefined;
  readonly #onRetryListener: BatchRetryListener<T> | undefined;
  #queue: T[] = [];
  #head = 0;
  /** Halves of a refused batch (bisect), written alone and before the queue. */
  readonly #isolate: T[][] = [];
  #isolated = 0;
  #inFlight: readonly T[] | undefined;
  #inFlightIsolated = false;
  #inFlightTick = 0;
  /** Numbers the writes, so a late answer from an abandoned one is ignored. */
  #writeSeq = 0;
  #writes = 0;
  #scheduled = false;
  #attempt = 0;
  #retryTimer: NodeJS.Timeout | undefined;
  #lingerTimer: NodeJS.Timeout | undefined;
  #idleWaiters: Array<() => void> = [];
  /** Waiters of until(), each with the condition it waits for. */
  #conditionWaiters: Array<{ readonly condition: () => boolean; readonly resolve: () => void }> = [];
  #deadline = Number.POSITIVE_INFINITY;

  /** @throws HeraldError HERALD_ERR_CONFIG when a bound cannot work (a batch or queue of no records, a negative wait). */
  constructor(sink: BatchSink<T>, options: BatchRunnerOptions, listeners: BatchListeners<T> = {}) {
    const { maxQueue, maxBatch, lingerMs, retryBaseMs, retryMaxMs } = options;
    if (!(maxBatch >= 1 && maxQueue >= 1 && lingerMs >= 0 && retryBaseMs >= 0 && retryMaxMs >= 0)) {
      throw new HeraldError('HERALD_ERR_CONFIG', `A batch runner needs maxBatch >= 1 (${maxBatch}), maxQueue >= 1 (${maxQueue}) and waits >= 0 (lingerMs ${lingerMs}, retryBaseMs ${retryBaseMs}, retryMaxMs ${retryMaxMs})`);
    }
    this.#sink = sink;
    this.#options = options;
    this.#flushAt = Math.max(1, options.flushAt ?? options.maxBatch);
    this.#lingerFirst = options.lingerFirst ?? false;
    this.#onSettled = listeners.onSettled;
    this.#onRetryListener = listeners.onRetry;
  }

  /** Records held: queued, isolated and in flight. */
  get queueDepth(): number {
    return this.#waiting + this.#isolated + (this.#inFlight?.length ?? 0);
  }

  /** How full the queue is: 0 empty, 1 full (the next record would be dropped). */
  get fill(): number {
    return this.queueDepth / this.#options.maxQueue;
  }

  /** Writes settled so far (retries and bisected halves each count). */
  get writes(): number {
    return this.#writes;
  }

  /** Returns false when the record was dropped because the queue is full. */
  enqueue(record: T): boolean {
    if (this.queueDepth >= this.#options.maxQueue) {
      this.counters.dropped++;
      return false;
    }
    this.#queue.push(record);
    this.#kick();
    return true;
  }

  /** Queues every record, or none (all counted as dropped) when they do not all fit. */
  enqueueAll(records: readonly T[]): boolean {
    if (this.queueDepth + records.length > this.#options.maxQueue) {
      this.counters.dropped += records.length;
      return false;
    }
    for (const record of records) this.#queue.push(record);
    this.#kick();
    return true;
  }

  /** Resolves once nothing is queued or in flight, or when `signal` aborts. */
  idle(signal?: AbortSignal): Promise<void> {
    if (this.#isIdle()) return Promise.resolve();
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

  /**
   * Resolves once `condition()` holds, checked after every settled write, or at close/discard:
   * what a reader that can pause (a TCP stream) waits for, e.g. "the queue is under a quarter
   * full". While someone waits, no linger holds a batch back.
   */
  until(condition: () => boolean): Promise<void> {
    if (condition()) return Promise.resolve();
    // As for idle(): a pending retry must keep the process alive for someone waiting on it.
    this.#retryTimer?.ref();
    this.flushSoon();
    return new Promise((resolve) => this.#conditionWaiters.push({ condition, resolve }));
  }

  /** Ends a linger: what is queued is written on the next turn (e.g. the queue is congested). */
  flushSoon(): void {
    this.#endLinger();
    if (this.#waiting > 0 || this.#isolated > 0) this.#schedule();
  }

  /**
   * Writes what is held within `deadlineMs`; a retry that would end past it, or whatever is
   * still held at it, is discarded. Resolves to how many records were discarded.
   */
  async close(deadlineMs: number): Promise<number> {
    this.#deadline = Math.min(this.#deadline, Date.now() + deadlineMs);
    // Closing: nothing more will be taken, so nobody waits for room.
    this.#notifyConditions(true);
    const before = this.counters.dropped;
    const giveUp = setTimeout(() => this.discard(), deadlineMs);
    try {
      await this.idle();
    } finally {
      clearTimeout(giveUp);
    }
    return this.counters.dropped - before;
  }

  /** Stops retrying and forgets what is held (an in-flight write too), counting it as dropped. Returns how many. */
  discard(): number {
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#retryTimer = undefined;
    this.#endLinger();
    const discarded = this.queueDepth;
    this.counters.dropped += discarded;
    if (this.#inFlight !== undefined) unwatchWrite(this);
    this.#inFlight = undefined;
    this.#queue = [];
    this.#head = 0;
    this.#isolate.length = 0;
    this.#isolated = 0;
    this.#notifyIdle();
    this.#notifyConditions(true);
    return discarded;
  }

  get writeTimeoutMs(): number {
    return this.#options.writeTimeoutMs ?? Number.POSITIVE_INFINITY;
  }

  get writeStartedTick(): number | undefined {
    return this.#inFlight === undefined ? undefined : this.#inFlightTick;
  }

  /** Called by the watchdog; abandons the in-flight write as retryable. */
  expireWrite(): void {
    if (this.#inFlight === undefined) return;
    this.#settle(this.#writeSeq, {
      status: 'retryable',
      error: new HeraldError('HERALD_ERR_WRITE_TIMEOUT', `Backend write did not settle within ${this.writeTimeoutMs} ms`),
    });
  }

  #isIdle(): boolean {
    return this.#waiting === 0 && this.#isolated === 0 && this.#inFlight === undefined;
  }

  /** After an enqueue: start a write on the next turn, or a linger, unless one is already coming. */
  #kick(): void {
    if (this.#scheduled || this.#inFlight !== undefined || this.#retryTimer !== undefined) return;
    if (this.#lingerTimer !== undefined) {
      // A linger ends early at a full batch (or, for delivery, a half-full queue): waiting must never cause a drop.
      if (this.#waiting < this.#flushAt) return;
      this.#endLinger();
    } else if (this.#lingerFirst && this.#waiting < this.#flushAt && !this.#awaited()) {
      this.#startLinger();
      return;
    }
    this.#scheduled = true;
    // setImmediate lets every enqueue of the current tick join one batch.
    setImmediate(this.#onImmediate);
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight !== undefined || this.#retryTimer !== undefined || this.#lingerTimer !== undefined) return;
    this.#scheduled = true;
    setImmediate(this.#onImmediate);
  }

  readonly #onImmediate = (): void => {
    this.#scheduled = false;
    this.#pump();
  };

  /**
   * Records enqueued while the last write was settling wait for the linger to end, so a busy
   * sink gets one write per linger instead of one per event-loop turn: per-turn scheduling
   * forced an extra loop iteration, which measured as most of the delivery cost under an
   * HTTP load (docs/benchmarks.md, instrument).
   */
  readonly #onLinger = (): void => {
    this.#lingerTimer = undefined;
    this.#pump();
  };

  #startLinger(): void {
    this.#lingerTimer = setTimeout(this.#onLinger, this.#options.lingerMs);
  }

  #endLinger(): void {
    if (this.#lingerTimer === undefined) return;
    clearTimeout(this.#lingerTimer);
    this.#lingerTimer = undefined;
  }

  readonly #onRetryTimer = (): void => {
    this.#retryTimer = undefined;
    this.#pump();
  };

  /** Takes the next batch: an isolated half first, else up to `maxBatch` from the queue. */
  #take(): readonly T[] | undefined {
    const isolated = this.#isolate.shift();
    if (isolated !== undefined) {
      this.#isolated -= isolated.length;
      this.#inFlightIsolated = true;
      return isolated;
    }
    this.#inFlightIsolated = false;
    const waiting = this.#waiting;
    if (waiting === 0) return undefined;
    if (this.#head === 0 && waiting <= this.#options.maxBatch) {
      const all = this.#queue;
      this.#queue = [];
      return all;
    }
    // From the head by index: splice(0, n) moved the whole queue for every batch.
    const end = this.#head + Math.min(waiting, this.#options.maxBatch);
    const batch = this.#queue.slice(this.#head, end);
    this.#head = end;
    if (end === this.#queue.length) {
      this.#queue = [];
      this.#head = 0;
    } else if (end >= 4096 && end * 2 >= this.#queue.length) {
      this.#queue = this.#queue.slice(end);
      this.#head = 0;
    }
    return batch;
  }

  /** Records queued: #queue[#head…]. */
  get #waiting(): number {
    return this.#queue.length - this.#head;
  }

  #pump(): void {
    if (this.#inFlight !== undefined) return;
    const batch = this.#take();
    if (batch === undefined) {
      this.#notifyIdle();
      return;
    }
    this.#inFlight = batch;
    const seq = ++this.#writeSeq;
    if (this.#options.writeTimeoutMs !== undefined) this.#inFlightTick = watchWrite(this);
    let pending: Promise<WriteResult>;
    try {
      pending = this.#sink.write(batch);
    } catch (thrown) {
      // A sink that breaks the contract and throws synchronously is contained here.
      this.#settle(seq, { status: 'failed', error: toError(thrown) });
      return;
    }
    pending.then((result) => this.#settle(seq, result), (thrown: unknown) => this.#settle(seq, { status: 'failed', error: toError(thrown) }));
  }

  #settle(seq: number, result: WriteResult): void {
    const batch = this.#inFlight;
    // A late answer from a write abandoned meanwhile (timed out, discarded) is ignored.
    if (batch === undefined || seq !== this.#writeSeq) return;
    this.#inFlight = undefined;
    if (this.#options.writeTimeoutMs !== undefined) unwatchWrite(this);
    this.#writes++;
    if (result.status === 'retryable' && this.#options.policy.retryable === 'retry') {
      this.#retry(batch, result);
      return;
    }
    this.#attempt = 0;
    if (result.status === 'ok') this.#written(batch, result.refused);
    else if (result.status === 'failed' && this.#options.policy.failed === 'bisect' && batch.length > 1) this.#bisect(batch);
    else this.#failed(batch, result.error);
    this.#next();
  }

  /** Decides what comes after a settled write: the next batch now, a linger, or nothing. */
  #next(): void {
    const waiting = this.#waiting;
    if (waiting === 0 && this.#isolated === 0) this.#notifyIdle();
    if (this.#conditionWaiters.length > 0) this.#notifyConditions(false);
    if (this.#isolated > 0) this.#schedule();
    // Nobody waits for a drain or for room and the queue is short: let the next batch fill up.
    else if (this.#options.lingerMs > 0 && waiting < this.#flushAt && !this.#awaited() && !(this.#lingerFirst && waiting === 0)) {
      this.#startLinger();
    } else if (waiting > 0) this.#schedule();
  }

  #written(batch: readonly T[], refused: RefusedEvents | undefined): void {
    if (refused === undefined) {
      this.counters.delivered += batch.length;
      this.#onSettled?.(batch, 'delivered');
      return;
    }
    // Written, except for some records the sink refused for good.
    const isRefused = new Set(refused.indexes);
    const failed = batch.filter((_, index) => isRefused.has(index));
    const delivered = batch.filter((_, index) => !isRefused.has(index));
    this.counters.delivered += delivered.length;
    this.counters.failed += failed.length;
    this.counters.lastError = refused.error.message;
    this.#onSettled?.(delivered, 'delivered');
    this.#onSettled?.(failed, 'failed', refused.error);
  }

  #failed(batch: readonly T[], error: Error): void {
    this.counters.failed += batch.length;
    this.counters.lastError = error.message;
    this.#onSettled?.(batch, 'failed', error);
  }

  /** A refused batch is halved; the halves are written alone, first half first, before anything else. */
  #bisect(batch: readonly T[]): void {
    const half = Math.ceil(batch.length / 2);
    this.#isolate.unshift(batch.slice(0, half), batch.slice(half));
    this.#isolated += batch.length;
  }

  #retry(batch: readonly T[], result: RetryableResult): void {
    // Back where it came from, ahead of anything enqueued meanwhile.
    if (this.#inFlightIsolated) {
      this.#isolate.unshift(batch.slice());
      this.#isolated += batch.length;
    } else {
      this.#queue = this.#waiting === 0 ? [...batch] : [...batch, ...this.#queue.slice(this.#head)];
      this.#head = 0;
    }
    this.counters.retries++;
    this.counters.lastError = result.error.message;
    const delay = retryDelayMs(result, this.#attempt, this.#options.retryBaseMs, this.#options.retryMaxMs);
    this.#attempt = Math.min(this.#attempt + 1, 30);
    this.#onRetryListener?.(batch, result.error, this.#attempt, delay);
    if (this.#deadline !== Number.POSITIVE_INFINITY && Date.now() + delay > this.#deadline) {
      this.discard();
      return;
    }
    this.#retryTimer = setTimeout(this.#onRetryTimer, delay);
    // Backoff alone must not keep a process alive, but a pending idle() or until() must see the retry.
    if (!this.#awaited()) this.#retryTimer.unref();
  }

  /** Someone waits for the queue to drain or shrink. */
  #awaited(): boolean {
    return this.#idleWaiters.length > 0 || this.#conditionWaiters.length > 0;
  }

  /** Resolves the until() waiters whose condition holds now, or all of them. */
  #notifyConditions(all: boolean): void {
    if (this.#conditionWaiters.length === 0) return;
    const done = all ? this.#conditionWaiters : this.#conditionWaiters.filter((waiter) => waiter.condition());
    if (done.length === 0) return;
    this.#conditionWaiters = all ? [] : this.#conditionWaiters.filter((waiter) => !done.includes(waiter));
    for (const waiter of done) waiter.resolve();
  }

  #notifyIdle(): void {
    if (this.#idleWaiters.length === 0) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
