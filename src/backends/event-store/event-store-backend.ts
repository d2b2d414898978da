import { type Backend, type BackendContext, type WriteResult } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import type { SqlEventStore } from './sql-event-store.js';

const HOUR_MS = 3_600_000;
const DAY_US = 86_400_000_000;

/**
 * An event store as a subscriber's backend. Inserts are idempotent on the event
 * id, so the bus may retry a batch freely; retention runs at open and hourly.
 */
export class EventStoreBackend implements Backend {
  readonly #store: SqlEventStore;
  readonly #keepDays: number;
  readonly #ctx: BackendContext;
  #retention: NodeJS.Timeout | undefined;
  #closing: Promise<void> | undefined;

  constructor(store: SqlEventStore, keepDays: number, ctx: BackendContext) {
    this.#store = store;
    this.#keepDays = keepDays;
    this.#ctx = ctx;
  }

  /** @throws the driver's error when the database cannot be reached or the table not created. */
  async open(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => void this.close(), { once: true });
    await this.#store.open('write');
    if (this.#keepDays === 0) return;
    await this.#purge();
    this.#retention = setInterval(() => void this.#purge(), HOUR_MS).unref();
  }

  write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closing !== undefined) {
      return Promise.resolve({ status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `Event store ${this.#store.dialect.location} is closed`) });
    }
    return this.#store.insert(batch);
  }

  async flush(): Promise<void> {}

  close(): Promise<void> {
    clearInterval(this.#retention);
    this.#closing ??= this.#store.close().catch(() => undefined);
    return this.#closing;
  }

  async #purge(): Promise<void> {
    try {
      const { deletedRows, droppedPartitions } = await this.#store.purgeBefore(Date.now() * 1000 - this.#keepDays * DAY_US);
      if (deletedRows > 0 || droppedPartitions.length > 0) {
        this.#ctx.logger.info({ store: this.#store.dialect.location, removed: deletedRows, droppedPartitions }, 'Old events removed from the event store.');
      }
    } catch (error) {
      this.#ctx.logger.warn({ err: error, store: this.#store.dialect.location }, 'Event store retention failed; retrying in an hour.');
    }
  }
}
