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

/** Encoded lines are carved from pools this large (or larger for one huge take). */
const POOL_BYTES = 1024 * 1024;

/**
 * Collects lines and encodes them to UTF-8 in one go per take, into a slab that
 * only moves forward (never reused while a write may still read it). One join
 * and one encode per ~64 KiB into preallocated memory cost less than a
 * Buffer.from per take, and far less than an encode per line. Records that are
 * bytes already (a traced SIP message need not be UTF-8) are kept as they are, in order.
 */
export class LineEncoder {
  readonly #lines: string[] = [];
  #chars = 0;
  /** Encoded text and byte records, in push order, waiting for the next take. */
  readonly #ready: Buffer[] = [];
  #readyBytes = 0;
  #pool: Buffer = Buffer.allocUnsafe(0);
  #offset = 0;

  /** UTF-16 units plus bytes appended since the last take (≈ bytes for mostly-ASCII text). */
  get pendingChars(): number {
    return this.#chars + this.#readyBytes;
  }

  append(line: string): void {
    this.#lines.push(line);
    this.#chars += line.length;
  }

  /** Appends a record that is bytes already; it is copied, so the caller may reuse its buffer. */
  appendBytes(bytes: Buffer): void {
    this.#encodeLines();
    this.#ready.push(Buffer.from(bytes));
    this.#readyBytes += bytes.length;
  }

  /** Everything appended since the last take, encoded, in order. */
  take(): Buffer[] {
    this.#encodeLines();
    const out = this.#ready.splice(0);
    this.#readyBytes = 0;
    return out;
  }

  #encodeLines(): void {
    if (this.#lines.length === 0) return;
    const text = this.#lines.length === 1 ? this.#lines[0] : this.#lines.join('');
    this.#lines.length = 0; // Reused: keeps its capacity, so no regrowth per take.
    this.#chars = 0;
    // A UTF-16 unit never needs more than 3 UTF-8 bytes.
    if (this.#pool.length - this.#offset < text.length * 3) {
      this.#pool = Buffer.allocUnsafe(Math.max(POOL_BYTES, text.length * 3));
      this.#offset = 0;
    }
    const start = this.#offset;
    this.#offset += this.#pool.write(text, start);
    const chunk = this.#pool.subarray(start, this.#offset);
    this.#ready.push(chunk);
    this.#readyBytes += chunk.length;
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
