import type { SipSummary } from './sip-batch.js';
import type { SipParsePool } from './sip-parse-pool.js';
import { SIP_PARSE_POOL_SLOT } from './service.js';
import type { Runtime } from '../../runtime/service.js';

/** Messages per pool task: large enough to pay for the thread hop, small enough to keep latency low. */
export const PARSE_BATCH_MESSAGES = 256;

/**
 * Called once per message, in arrival order. `summary` is undefined when the
 * pool could not parse the batch (closed, worker gone): the handler then
 * parses on this thread, so an accepted message is never lost.
 */
export type ParsedHandler<T> = (payload: Buffer, item: T, summary: SipSummary | undefined) => void;

/** The daemon's SIP parse pool (core_events.autoscale.profile set), if any. */
export function sharedSipParsePool(runtime: Pick<Runtime, 'slots'>): SipParsePool | undefined {
  return runtime.slots.get(SIP_PARSE_POOL_SLOT);
}

/**
 * A collector's SIP payloads on their way through the parse pool: gathered
 * into a batch (sent when full or on the next turn of the event loop), parsed
 * on a worker thread, handed back in arrival order even when batches finish
 * out of order on several threads. The handler must not throw (the tracer never does).
 */
export class PooledParse<T> {
  readonly #pool: SipParsePool;
  readonly #handle: ParsedHandler<T>;
  readonly #maxBatch: number;
  #payloads: Buffer[] = [];
  #items: T[] = [];
  #scheduled = false;
  /** Delivery of the latest batch: each batch is delivered after the one before it. */
  #tail: Promise<void> = Promise.resolve();

  constructor(pool: SipParsePool, handle: ParsedHandler<T>, maxBatch = PARSE_BATCH_MESSAGES) {
    this.#pool = pool;
    this.#handle = handle;
    this.#maxBatch = maxBatch;
  }

  push(payload: Buffer, item: T): void {
    this.#payloads.push(payload);
    this.#items.push(item);
    if (this.#payloads.length >= this.#maxBatch) this.#flush();
    else if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
  }

  /** Sends what is gathered and resolves once every pushed message has been handed over. */
  async drain(): Promise<void> {
    this.#flush();
    await this.#tail;
  }

  #flush(): void {
    this.#scheduled = false;
    if (this.#payloads.length === 0) return;
    const payloads = this.#payloads;
    const items = this.#items;
    this.#payloads = [];
    this.#items = [];
    const parsed = this.#pool.parse(payloads).catch(() => undefined);
    this.#tail = Promise.all([parsed, this.#tail]).then(([summaries]) => {
      for (let i = 0; i < payloads.length; i++) this.#handle(payloads[i], items[i], summaries?.[i]);
    });
  }
}
