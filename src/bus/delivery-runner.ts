import type { HeraldEvent } from '../events/event.js';
import type { Backend } from './backend.js';
import { BatchRunner, type BatchCounters } from './batch-runner.js';

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

export type DeliveryCounters = BatchCounters;

/** Told how each batch ended, so the bus can count per event as well as per subscriber. */
export type SettledListener = (batch: readonly HeraldEvent[], outcome: 'delivered' | 'failed') => void;

/**
 * One subscriber's bounded queue: the batch runner (bus/batch-runner.ts) in front of a
 * backend. `enqueue` is synchronous and never blocks: when the queue is full the newest
 * event is dropped and counted. One batch is written at a time, so a slow or hung backend
 * only ever holds up its own queue. A retryable result is retried with backoff; a failed
 * one is counted as failed (the backend says which events it refused, if not all).
 */
export class DeliveryRunner extends BatchRunner<HeraldEvent> {
  constructor(backend: Backend, options: DeliveryOptions, onSettled?: SettledListener) {
    super(backend, {
      maxQueue: options.maxQueueEvents,
      maxBatch: options.maxBatchEvents,
      lingerMs: options.lingerMs,
      // A linger ends early at a full batch or a half-full queue: waiting must never cause a drop.
      flushAt: Math.min(options.maxBatchEvents, Math.ceil(options.maxQueueEvents / 2)),
      writeTimeoutMs: options.writeTimeoutMs,
      retryBaseMs: options.retryBaseMs,
      retryMaxMs: options.retryMaxMs,
      policy: { retryable: 'retry', failed: 'drop' },
    }, { onSettled });
  }
}
