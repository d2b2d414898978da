import type { WriteResult } from './backend.js';

/** Where a batch runner writes: a backend, a trace store. Never throws; a throw is contained as `failed`. */
export interface BatchSink<T> {
  write(batch: readonly T[]): Promise<WriteResult>;
}

/**
 * What a batch runner does with a batch its sink did not take.
 * - `retryable: 'retry'`: the batch goes back to the head of the queue and is written again after a
 *   jittered exponential backoff, never sooner than the sink's `retryAfterMs`.
 * - `retryable: 'drop'`: the batch is given up at once and counted as failed.
 * - `failed: 'drop'`: the whole batch is counted as failed.
 * - `failed: 'bisect'`: the batch is halved, and the halves written alone, until the records the
 *   sink refuses (the poison) are alone; only those are counted as failed, the rest is written.
 */
export interface FailurePolicy {
  readonly retryable: 'retry' | 'drop';
  readonly failed: 'drop' | 'bisect';
}

export type RetryableResult = Extract<WriteResult, { status: 'retryable' }>;

/**
 * The wait before retry number `attempt` (0 first): `baseMs · 2^attempt` capped at `maxMs`, with
 * jitter (half to all of it), and never less than what the sink asked for.
 */
export function retryDelayMs(result: RetryableResult, attempt: number, baseMs: number, maxMs: number): number {
  const backoff = Math.min(maxMs, baseMs * 2 ** attempt);
  return Math.max(result.retryAfterMs ?? 0, backoff * (0.5 + Math.random() / 2));
}
