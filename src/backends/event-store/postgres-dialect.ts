import pg from 'pg';
import { inPgTransaction, withPgClient } from '../shared/pg-client.js';
import { EVENT_COLUMNS, isoMicros } from './event-row.js';
import { quoted, type SqlDialect, type StoreDays } from './dialect.js';
import { PostgresStoreDays } from './postgres-days.js';
import { indexStatements } from './sqlite-dialect.js';

/** The column types, for the arrays a batch travels in. */
const COLUMN_TYPES: Readonly<Record<(typeof EVENT_COLUMNS)[number], string>> = {
  id: 'text', time: 'timestamptz', time_us: 'int8', level: 'text', category: 'text', type: 'text', source_id: 'text',
  summary: 'text', cause: 'text', snapshot: 'jsonb', params: 'jsonb',
};

/** Connection-level failures: the batch may go through once the server is back. */
const TRANSIENT_SQLSTATE = /^(08|53|57P|40001|40P01)/;

/**
 * PostgreSQL through pg: params as JSONB, time as timestamptz, partitioned by UTC day on time (the primary key
 * is (id, time), as a partitioned table's must hold its key; a retried event has both the same, so inserts stay
 * idempotent with ON CONFLICT DO NOTHING), retention dropping whole days.
 */
export class PostgresDialect implements SqlDialect {
  readonly kind = 'postgres';
  readonly location: string;
  readonly #pool: pg.Pool;

  constructor(url: string, location: string) {
    this.location = location;
    this.#pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
    this.#pool.on('error', () => undefined); // idle client errors surface on the next query
  }

  async connect(): Promise<void> {
    await withPgClient(this.#pool, async () => undefined);
  }

  async tableExists(table: string): Promise<boolean> {
    const result = await this.#pool.query('SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = $1', [table]);
    return result.rowCount !== 0;
  }

  schema(table: string): readonly string[] {
    const t = quoted(table, '"');
    return [
      `CREATE TABLE IF NOT EXISTS ${t} (id text NOT NULL, time timestamptz NOT NULL, time_us bigint NOT NULL, level text NOT NULL,
        category text NOT NULL, type text NOT NULL, source_id text NOT NULL, summary text, cause text, snapshot jsonb, params jsonb NOT NULL,
        PRIMARY KEY (id, time)) PARTITION BY RANGE (time)`,
      ...indexStatements(table, t),
    ];
  }

  placeholder(n: number): string {
    return `$${n}`;
  }

  timeText(timeUs: number): string {
    return isoMicros(timeUs);
  }

  insertIgnoring(table: string, columns: string, tuples: string): string {
    // No conflict target: the key is (id, time) on a partitioned table, (id) on one an older Herald made.
    return `INSERT INTO ${quoted(table, '"')} (${columns}) VALUES ${tuples} ON CONFLICT DO NOTHING`;
  }

  columnarInsert(table: string): string {
    // JSON travels as text[] and is cast per element: pg has no jsonb[] parameter type of its own.
    const casts = EVENT_COLUMNS.map((column, i) => `c${i}::${COLUMN_TYPES[column]}`);
    const arrays = EVENT_COLUMNS.map((column, i) => `$${i + 1}::${COLUMN_TYPES[column] === 'jsonb' ? 'text' : COLUMN_TYPES[column]}[]`);
    return `INSERT INTO ${quoted(table, '"')} (${EVENT_COLUMNS.join(', ')})
      SELECT ${casts.join(', ')} FROM unnest(${arrays.join(', ')}) AS u(${EVENT_COLUMNS.map((_, i) => `c${i}`).join(', ')})
      ON CONFLICT DO NOTHING`;
  }

  purgeChunk(table: string, chunk: number): string {
    const t = quoted(table, '"');
    return `DELETE FROM ${t} WHERE id IN (SELECT id FROM ${t} WHERE time_us < $1 LIMIT ${chunk})`;
  }

  selectColumns(): string {
    // As text: pg would parse JSONB into numbers that lose int64 digits.
    return 'id, time_us, level, category, type, source_id, summary, cause, snapshot::text AS snapshot, params::text AS params';
  }

  async runAll(statements: ReadonlyArray<readonly [string, readonly unknown[]]>): Promise<number[]> {
    if (statements.length === 1) {
      // One statement is atomic by itself: no BEGIN/COMMIT round trips.
      const [[sql, values]] = statements;
      return [(await this.#pool.query(sql, [...values])).rowCount ?? 0];
    }
    return withPgClient(this.#pool, (client) => inPgTransaction(client, async () => {
      const changed: number[] = [];
      for (const [sql, values] of statements) changed.push((await client.query(sql, [...values])).rowCount ?? 0);
      return changed;
    }));
  }

  async all<T>(sql: string, values: readonly unknown[]): Promise<T[]> {
    return (await this.#pool.query(sql, [...values])).rows as T[];
  }

  dayPartitions(table: string): StoreDays {
    return new PostgresStoreDays(this.#pool, table);
  }

  isTransient(error: Error): boolean {
    const code = (error as Error & { code?: string }).code ?? '';
    return TRANSIENT_SQLSTATE.test(code) || /^E[A-Z]+$/.test(code) || /terminat|Connection|timeout/i.test(error.message);
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}
