import type pg from 'pg';
import { DayPartitions, tableKind } from '../shared/pg-day-partitions.js';
import { withPgClient } from '../shared/pg-client.js';
import type { StoreDays } from './dialect.js';

/**
 * The event table's day partitions on PostgreSQL (on `time`, UTC days), kept the
 * way the trace store keeps its own: a table created by an older Herald without
 * partitions stays plain, and its retention falls back to chunked DELETEs.
 */
export class PostgresStoreDays implements StoreDays {
  readonly #pool: pg.Pool;
  readonly #partitions: DayPartitions;
  #partitioned = false;

  constructor(pool: pg.Pool, table: string) {
    this.#pool = pool;
    this.#partitions = new DayPartitions(table);
  }

  async open(): Promise<void> {
    await withPgClient(this.#pool, async (client) => {
      this.#partitioned = await tableKind(client, this.#partitions.table) === 'p';
      if (this.#partitioned) await this.#partitions.ensure(client, this.#partitions.ahead(Date.now()));
    });
  }

  async ensureFor(timesUs: readonly number[]): Promise<void> {
    if (!this.#partitioned) return;
    await withPgClient(this.#pool, (client) => this.#partitions.ensureFor(client, timesUs));
  }

  forget(): void {
    this.#partitions.forget();
  }

  async dropBefore(cutoffUs: number): Promise<string[] | undefined> {
    if (!this.#partitioned) return undefined;
    return withPgClient(this.#pool, (client) => this.#partitions.dropBefore(client, cutoffUs / 1000, Date.now()));
  }
}
