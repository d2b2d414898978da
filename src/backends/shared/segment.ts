import type { WriteResult } from '../../bus/backend.js';

/** Size of the buffers lines are encoded into; also the flush threshold. */
export const CHUNK_BYTES = 64 * 1024;

/**
 * Lines appended between two flush requests, already UTF-8 encoded into shared
 * buffers (not kept as strings: a long-lived string rope is costly to collect).
 * A segment is written whole, in order; fsync writers await `result()`.
 */
export class Segment {
  readonly chunks: Buffer[] = [];
  bytes = 0;
  #settled: WriteResult | undefined;
  #waiters: Array<(result: WriteResult) => void> | undefined;

  get empty(): boolean {
    return this.bytes === 0;
  }

  result(): Promise<WriteResult> {
    if (this.#settled !== undefined) return Promise.resolve(this.#settled);
    return new Promise((resolve) => (this.#waiters ??= []).push(resolve));
  }

  settle(result: WriteResult): void {
    if (this.#settled !== undefined) return;
    this.#settled = result;
    const waiters = this.#waiters ?? [];
    this.#waiters = undefined;
    for (const resolve of waiters) resolve(result);
  }
}

/**
 * Collects lines and encodes them to UTF-8 in one go per take: one join and one
 * native encode per ~64 KiB costs less than an encode per line.
 */
export class LineEncoder {
  #lines: string[] = [];
  #chars = 0;

  /** UTF-16 units appended since the last take (≈ bytes for mostly-ASCII text). */
  get pendingChars(): number {
    return this.#chars;
  }

  append(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length;
  }

  /** Everything appended since the last take, encoded, as one buffer. */
  take(): Buffer {
    const text = this.#lines.length === 1 ? this.#lines[0] : this.#lines.join('');
    this.#lines = [];
    this.#chars = 0;
    return Buffer.from(text, 'utf8');
  }
}

/** One-shot promise with its resolver, for queue barriers. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => { resolve = r; });
  return { promise, resolve };
}

/** Combines the outcomes of the segments one write touched: the first non-ok wins. */
export function combineResults(results: readonly WriteResult[]): WriteResult {
  for (const result of results) if (result.status !== 'ok') return result;
  return { status: 'ok' };
}
