import { BatchRunner } from '../bus/batch-runner.js';
import { HeraldError } from '../errors/herald-error.js';
import type { Logger } from '../log/logger.js';
import type { Backpressure } from '../runtime/backpressure.js';
import type { TraceRow, TraceStore } from './store/types.js';

/*
 *  accept(rows) ──▶ the batch runner (bus/batch-runner.ts) ──▶ store.insertBatch
 *        │ full: drop + count    │ size or interval            │ ok: stored
 *                                │                             │ retryable: written again, backing off
 *                                │                             │ failed: bisected until the bad rows are alone
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
  /** Bytes of rows queued (rowBytes) before new ones are dropped and counted: the memory bound. Default 16 MiB. */
  readonly maxQueueBytes?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly logger?: Logger;
  /** Told about every failed write: for events and alerting. */
  readonly onWriteError?: (error: Error, rows: number, retrying: boolean) => void;
}

export type DropReason = 'queue_full' | 'stopped' | 'shutdown' | 'rejected';

/** What a queued row is counted as: its message, plus its other columns and the object around them. */
export function rowBytes(row: TraceRow): number {
  return row.msg.length + ROW_OVERHEAD_BYTES;
}

// Measured: 136 MB of live heap held rows counted at 64 MiB with 320 bytes each (issue 11, 50k packets/s).
const ROW_OVERHEAD_BYTES = 1024;

function bytesOf(rows: readonly TraceRow[]): number {
  let bytes = 0;
  for (const row of rows) bytes += rowBytes(row);
  return bytes;
}

/** Batches rows into a TraceStore. `accept` is synchronous and never throws. */
export class TraceIngest implements Backpressure {
  readonly #store: TraceStore;
  readonly #maxQueue: number;
  readonly #maxBytes: number;
  /** Bytes of every row held (queued, in flight, isolated). */
  #heldBytes = 0;
  readonly #logger: Logger | undefined;
  readonly #runner: BatchRunner<TraceRow>;
  #stopping = false;
  #accepted = 0;
  #droppedQueueFull = 0;
  #droppedStopped = 0;

  constructor(options: TraceIngestOptions) {
    this.#store = options.store;
    const maxBatch = options.maxBatchRows ?? 10_000;
    this.#maxQueue = options.maxQueueRows ?? 200_000;
    this.#maxBytes = options.maxQueueBytes ?? 16 * 2 ** 20;
    this.#logger = options.logger;
    if (!(maxBatch >= 1 && this.#maxQueue >= maxBatch)) {
      throw new HeraldError('HERALD_ERR_CONFIG', `Trace ingest needs 1 <= max batch rows (${maxBatch}) <= max queue rows (${this.#maxQueue})`);
    }
    const { store, logger, onWriteError } = options;
    this.#runner = new BatchRunner<TraceRow>({ write: (rows) => store.insertBatch(rows) }, {
      maxQueue: this.#maxQueue,
      maxBatch,
      lingerMs: options.flushIntervalMs ?? 200,
      lingerFirst: true,
      retryBaseMs: options.retryBaseMs ?? 100,
      retryMaxMs: options.retryMaxMs ?? 10_000,
      policy: { retryable: 'retry', failed: 'bisect' },
    }, {
      onRetry: (rows, error, attempt, delayMs) => {
        onWriteError?.(error, rows.length, true);
        logger?.warn({ err: error, rows: rows.length, attempt, delayMs: Math.round(delayMs) }, 'Trace store write failed; retrying.');
      },
      onSettled: (rows, outcome, error) => {
        this.#heldBytes -= bytesOf(rows);
        if (outcome === 'delivered' || error === undefined || rows.length === 0) return;
        onWriteError?.(error, rows.length, false);
        logger?.warn({ err: error, callid: rows[0].callid, rows: rows.length }, 'Trace store refused a row; dropped.');
      },
    });
  }

  get store(): TraceStore {
    return this.#store;
  }

  get congested(): boolean {
    return !this.#stopping && this.#holdsMoreThan(2);
  }

  whenRelieved(): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return this.#runner.until(this.#underLowWater);
  }

  readonly #underLowWater = (): boolean => this.#stopping || !this.#holdsMoreThan(4);

  /** Whether more than 1/`fraction` of the rows or of the bytes the queue may hold is held: 2 pauses readers, under 4 resumes them. */
  #holdsMoreThan(fraction: number): boolean {
    return this.#runner.queueDepth * fraction > this.#maxQueue || this.#heldBytes * fraction > this.#maxBytes;
  }

  /** Queues rows; false (and counted) when stopped or when the queue has no room for them. */
  accept(rows: readonly TraceRow[]): boolean {
    if (this.#stopping) {
      this.#droppedStopped += rows.length;
      return false;
    }
    const bytes = bytesOf(rows);
    if (this.#runner.queueDepth + rows.length > this.#maxQueue || this.#heldBytes + bytes > this.#maxBytes) {
      this.#droppedQueueFull += rows.length;
      return false;
    }
    this.#heldBytes += bytes;
    this.#runner.enqueueAll(rows);
    this.#accepted += rows.length;
    // A congested queue is written at once: readers paused on it must not wait out the interval.
    if (this.congested) this.#runner.flushSoon();
    return true;
  }

  /** Resolves once everything accepted so far is written or given up. */
  flush(): Promise<void> {
    return this.#runner.idle();
  }

  /** Refuses new rows, then writes what was accepted; whatever is left at the deadline is dropped and counted. */
  async stop(deadlineMs = 5000): Promise<void> {
    this.#stopping = true;
    const dropped = await this.#runner.close(deadlineMs);
    // Whatever the deadline discarded is no longer held.
    if (this.#runner.queueDepth === 0) this.#heldBytes = 0;
    if (dropped > 0) this.#logger?.error({ rows: dropped }, 'Trace rows dropped at shutdown: the store did not take them before the deadline.');
  }

  /** Counters for get_statistics; `queued` is the current depth. */
  counters(): Record<string, number> {
    const runner = this.#runner.counters;
    return {
      accepted: this.#accepted,
      stored: runner.delivered,
      batches: this.#runner.writes,
      retries: runner.retries,
      dropped_queue_full: this.#droppedQueueFull,
      dropped_stopped: this.#droppedStopped,
      // The runner drops only what is still held at the deadline: the queue bound is checked above.
      dropped_shutdown: runner.dropped,
      /** Rows the database refused on their own (after isolating them from their batch). */
      dropped_rejected: runner.failed,
      queued: this.#runner.queueDepth,
      queued_bytes: this.#heldBytes,
    };
  }
}
