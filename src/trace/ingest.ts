import { HeraldError, toError } from '../errors/herald-error.js';
import type { Logger } from '../log/logger.js';
import type { Backpressure } from '../runtime/backpressure.js';
import type { TraceRow, TraceStore } from './store/types.js';

/*
 *  accept(rows) ──▶ bounded queue ──▶ one batch in flight ──▶ store.insertBatch
 *        │ full: drop + count          │ size or interval        │ ok: stored
 *                                      │                         │ retryable: same batch again, backing off
 *                                      │                         │ failed: split in halves until the bad rows are alone
 *  stop(): refuse new rows, write everything already accepted (up to a deadline).
 *
 *  Readers that can wait (HEP over TCP) pause while more than half the queue is held and go on
 *  once under a quarter, so a stream is slowed to what the store takes instead of dropped.
 */

export interface TraceIngestOptions {
  readonly store: TraceStore;
  /** Largest batch per write. Under load batches grow to this, which is what makes SQLite fast. Default 10,000. */
  readonly maxBatchRows?: number;
  /** A row waits at most this long before its batch is written. Default 200. */
  readonly flushIntervalMs?: number;
  /** Rows queued before new ones are dropped and counted. Default 200,000. */
  readonly maxQueueRows?: number;
  /** Bytes of rows queued (rowBytes) before new ones are dropped and counted: the memory bound. Default 64 MiB. */
  readonly maxQueueBytes?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly logger?: Logger;
  /** Told about every failed write: for events and alerting. */
  readonly onWriteError?: (error: Error, rows: number, retrying: boolean) => void;
}

export type DropReason = 'queue_full' | 'stopped' | 'shutdown' | 'rejected';

interface Counters {
  accepted: number;
  stored: number;
  batches: number;
  retries: number;
  dropped_queue_full: number;
  dropped_stopped: number;
  dropped_shutdown: number;
  /** Rows the database refused on their own (after isolating them from their batch). */
  dropped_rejected: number;
}

/** What a queued row is counted as: its message, plus its other columns and the object around them. */
export function rowBytes(row: TraceRow): number {
  return row.msg.length + ROW_OVERHEAD_BYTES;
}

const ROW_OVERHEAD_BYTES = 320;

function bytesOf(rows: readonly TraceRow[]): number {
  let bytes = 0;
  for (const row of rows) bytes += rowBytes(row);
  return bytes;
}

/** Batches rows into a TraceStore. `accept` is synchronous and never throws. */
export class TraceIngest implements Backpressure {
  readonly #store: TraceStore;
  readonly #maxBatch: number;
  readonly #intervalMs: number;
  readonly #maxQueue: number;
  readonly #maxBytes: number;
  /** Bytes of every row held (queued, in flight, isolated). */
  #heldBytes = 0;
  readonly #retryBaseMs: number;
  readonly #retryMaxMs: number;
  readonly #logger: Logger | undefined;
  readonly #onWriteError: TraceIngestOptions['onWriteError'];
  #queue: TraceRow[] = [];
  /** Halves of a refused batch, written alone to find the rows the database will not take. */
  readonly #isolate: TraceRow[][] = [];
  #inFlight: TraceRow[] | undefined;
  #timer: NodeJS.Timeout | undefined;
  #attempt = 0;
  #stopping = false;
  #deadline = Number.POSITIVE_INFINITY;
  #idleWaiters: Array<() => void> = [];
  #reliefWaiters: Array<() => void> = [];
  readonly #counters: Counters = {
    accepted: 0, stored: 0, batches: 0, retries: 0, dropped_queue_full: 0, dropped_stopped: 0, dropped_shutdown: 0, dropped_rejected: 0,
  };

  constructor(options: TraceIngestOptions) {
    this.#store = options.store;
    this.#maxBatch = options.maxBatchRows ?? 10_000;
    this.#intervalMs = options.flushIntervalMs ?? 200;
    this.#maxQueue = options.maxQueueRows ?? 200_000;
    this.#maxBytes = options.maxQueueBytes ?? 64 * 2 ** 20;
    this.#retryBaseMs = options.retryBaseMs ?? 100;
    this.#retryMaxMs = options.retryMaxMs ?? 10_000;
    this.#logger = options.logger;
    this.#onWriteError = options.onWriteError;
    if (!(this.#maxBatch >= 1 && this.#maxQueue >= this.#maxBatch)) {
      throw new HeraldError('HERALD_ERR_CONFIG', `Trace ingest needs 1 <= max batch rows (${this.#maxBatch}) <= max queue rows (${this.#maxQueue})`);
    }
  }

  get store(): TraceStore {
    return this.#store;
  }

  get congested(): boolean {
    return !this.#stopping && (this.#held() * 2 > this.#maxQueue || this.#heldBytes * 2 > this.#maxBytes);
  }

  whenRelieved(): Promise<void> {
    if (!this.#stopping && this.#pastLowWater()) return new Promise((resolve) => this.#reliefWaiters.push(resolve));
    return Promise.resolve();
  }

  /** Queues rows; false (and counted) when stopped or when the queue has no room for them. */
  accept(rows: readonly TraceRow[]): boolean {
    if (this.#stopping) {
      this.#counters.dropped_stopped += rows.length;
      return false;
    }
    const bytes = bytesOf(rows);
    if (this.#held() + rows.length > this.#maxQueue || this.#heldBytes + bytes > this.#maxBytes) {
      this.#counters.dropped_queue_full += rows.length;
      return false;
    }
    this.#heldBytes += bytes;
    for (const row of rows) this.#queue.push(row);
    this.#counters.accepted += rows.length;
    if (this.#inFlight !== undefined) return true;
    // A congested queue is written at once: readers paused on it must not wait out the interval.
    if (this.#queue.length >= this.#maxBatch || this.congested) this.#pump();
    else this.#timer ??= this.#schedule(() => this.#pump(), this.#intervalMs);
    return true;
  }

  /** Resolves once everything accepted so far is written or given up. */
  flush(): Promise<void> {
    if (this.#idle()) return Promise.resolve();
    const done = new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
    this.#timer?.ref(); // someone now waits on it: a pending retry must keep the process alive
    if (this.#inFlight === undefined) this.#pump();
    return done;
  }

  /** Refuses new rows, then writes what was accepted; whatever is left at the deadline is dropped and counted. */
  async stop(deadlineMs = 5000): Promise<void> {
    this.#stopping = true;
    this.#relieve();
    this.#deadline = Math.min(this.#deadline, Date.now() + deadlineMs);
    const giveUp = setTimeout(() => this.#abandon(), deadlineMs);
    try {
      await this.flush();
    } finally {
      clearTimeout(giveUp);
    }
  }

  /** Counters for get_statistics; `queued` is the current depth. */
  counters(): Record<string, number> {
    return { ...this.#counters, queued: this.#held(), queued_bytes: this.#heldBytes };
  }

  /** Rows accepted and not yet stored or dropped. */
  #held(): number {
    const isolated = this.#isolate.length === 0 ? 0 : this.#isolate.reduce((n, b) => n + b.length, 0);
    return this.#queue.length + (this.#inFlight?.length ?? 0) + isolated;
  }

  #idle(): boolean {
    return this.#queue.length === 0 && this.#inFlight === undefined && this.#isolate.length === 0;
  }

  #take(): TraceRow[] | undefined {
    const isolated = this.#isolate.shift();
    if (isolated !== undefined) return isolated;
    if (this.#queue.length === 0) return undefined;
    if (this.#queue.length <= this.#maxBatch) {
      const all = this.#queue;
      this.#queue = [];
      return all;
    }
    return this.#queue.splice(0, this.#maxBatch);
  }

  #pump(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#inFlight !== undefined) return;
    const batch = this.#take();
    if (batch === undefined) {
      this.#settleIdle();
      return;
    }
    this.#inFlight = batch;
    void this.#write(batch);
  }

  async #write(batch: TraceRow[]): Promise<void> {
    const result = await this.#store.insertBatch(batch).catch((error: unknown) => ({ status: 'failed' as const, error: toError(error) }));
    if (this.#inFlight !== batch) return; // abandoned at the deadline meanwhile
    this.#counters.batches++;
    if (result.status === 'ok') {
      this.#counters.stored += batch.length;
      this.#heldBytes -= bytesOf(batch);
      this.#attempt = 0;
      this.#next();
    } else if (result.status === 'retryable') {
      this.#retry(batch, result.error, result.retryAfterMs);
    } else {
      this.#refused(batch, result.error);
      this.#next();
    }
  }

  #next(): void {
    this.#inFlight = undefined;
    this.#relieve();
    const urgent = this.#stopping || this.#idleWaiters.length > 0 || this.#isolate.length > 0 || this.#queue.length >= this.#maxBatch
      || this.#reliefWaiters.length > 0;
    if (urgent) this.#pump();
    else if (this.#queue.length > 0) this.#timer = this.#schedule(() => this.#pump(), this.#intervalMs);
    else this.#settleIdle();
  }

  #retry(batch: TraceRow[], error: Error, retryAfterMs?: number): void {
    this.#attempt++;
    this.#counters.retries++;
    const backoff = Math.min(this.#retryMaxMs, this.#retryBaseMs * 2 ** Math.min(this.#attempt - 1, 16));
    const delay = retryAfterMs ?? backoff * (0.5 + Math.random() / 2);
    this.#onWriteError?.(error, batch.length, true);
    this.#logger?.warn({ err: error, rows: batch.length, attempt: this.#attempt, delayMs: Math.round(delay) }, 'Trace store write failed; retrying.');
    if (Date.now() + delay > this.#deadline) {
      this.#abandon();
      return;
    }
    this.#timer = this.#schedule(() => {
      this.#timer = undefined;
      if (this.#inFlight === batch) void this.#write(batch);
    }, delay);
  }

  /** Timers do not hold the process open, unless a flush or stop is waiting on them. */
  #schedule(run: () => void, delayMs: number): NodeJS.Timeout {
    const timer = setTimeout(run, delayMs);
    if (this.#idleWaiters.length === 0) timer.unref();
    return timer;
  }

  /** A refused batch is halved until the rows the database will not take are alone; those are dropped. */
  #refused(batch: TraceRow[], error: Error): void {
    if (batch.length > 1) {
      const half = Math.ceil(batch.length / 2);
      this.#isolate.unshift(batch.slice(0, half), batch.slice(half));
      return;
    }
    this.#counters.dropped_rejected++;
    this.#heldBytes -= bytesOf(batch);
    this.#onWriteError?.(error, 1, false);
    this.#logger?.warn({ err: error, callid: batch[0].callid }, 'Trace store refused a row; dropped.');
  }

  /** Deadline reached: everything still held is dropped and counted. */
  #abandon(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const held = this.counters().queued;
    this.#counters.dropped_shutdown += held;
    this.#queue = [];
    this.#isolate.length = 0;
    this.#inFlight = undefined;
    this.#heldBytes = 0;
    if (held > 0) this.#logger?.error({ rows: held }, 'Trace rows dropped at shutdown: the store did not take them before the deadline.');
    this.#settleIdle();
  }

  #pastLowWater(): boolean {
    return this.#held() * 4 > this.#maxQueue || this.#heldBytes * 4 > this.#maxBytes;
  }

  #relieve(): void {
    if (this.#reliefWaiters.length === 0 || (!this.#stopping && this.#pastLowWater())) return;
    const waiters = this.#reliefWaiters;
    this.#reliefWaiters = [];
    for (const resolve of waiters) resolve();
  }

  #settleIdle(): void {
    this.#relieve();
    if (!this.#idle()) return;
    const waiters = this.#idleWaiters;
    this.#idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
