import pg from 'pg';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { WRITE_OK } from '../../bus/backend.js';
import { inPgTransaction, withPgClient } from '../../backends/shared/pg-client.js';
import { HeraldError } from '../../errors/herald-error.js';
import { DATA_COLUMN_NAMES, quoteIdent } from './columns.js';
import { DayPartitions, tableKind } from '../../backends/shared/pg-day-partitions.js';
import { ensurePostgresSchema } from './postgres-schema.js';
import { fitColumn } from './fit.js';
import { buildWhere, searchLimit } from './query.js';
import { pushRowValues, recordOf, stampOfUs, type DbRow } from './row-values.js';
import {
  MAX_CALL_ROWS, RETENTION_CHUNK_ROWS, type RetentionResult, type StoreWriteResult, type TraceQuery, type TraceRecord, type TraceRow, type TraceStore,
} from './types.js';
import { classifyWriteError } from './write-errors.js';

/** Array types for unnest(), per insert column. */
const UNNEST_TYPES: Readonly<Record<string, string>> = {
  time_stamp: 'timestamp', time_us: 'int', from_port: 'int', to_port: 'int', capture_id: 'int8', date: 'timestamp', row_uid: 'uuid',
};
/** Rows per INSERT … SELECT FROM unnest(); a larger batch becomes several statements in one transaction. */
const ROWS_PER_STATEMENT = 10_000;
const TIMESTAMP_OID = 1114;

/** Timestamps come back as the text PostgreSQL stores (UTC), not as local-time Dates. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === TIMESTAMP_OID
    ? (value: string) => value
    : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
};

/**
 * PostgreSQL cannot store U+0000 in text. It is the one character not kept
 * verbatim: replaced by U+FFFD (docs/trace.md, "Limits").
 */
function pgText(value: unknown): unknown {
  return typeof value === 'string' && value.includes('\0') ? value.replaceAll('\0', '\uFFFD') : value;
}

export interface PostgresStoreOptions {
  readonly url: string;
  readonly table: string;
  readonly mode: 'read' | 'write';
  readonly location: string;
}

/**
 * The trace store in PostgreSQL: one INSERT … SELECT FROM unnest($1::timestamp[], …)
 * per batch (a single round trip with one array per column, close to COPY), and
 * day partitions on time_stamp that retention drops whole.
 */
export class PostgresTraceStore implements TraceStore {
  readonly kind = 'postgres';
  readonly table: string;
  readonly location: string;
  readonly #options: PostgresStoreOptions;
  readonly #pool: pg.Pool;
  #insertSql = '';
  #legacy: readonly string[] = [];
  #partitioned = false;
  readonly #partitions: DayPartitions;
  #closed = false;

  constructor(options: PostgresStoreOptions) {
    this.#options = options;
    this.table = options.table;
    this.location = options.location;
    this.#partitions = new DayPartitions(options.table);
    this.#pool = new pg.Pool({ connectionString: options.url, max: 4, types: TYPES, connectionTimeoutMillis: 10_000 });
    this.#pool.on('error', () => undefined); // idle client errors surface on the next query
  }

  async open(): Promise<void> {
    await withPgClient(this.#pool, async (client) => {
      if (this.#options.mode === 'read') {
        if (await tableKind(client, this.table) === undefined) throw new HeraldError('HERALD_ERR_NOT_FOUND', `No table ${this.table} at ${this.location}`);
        return;
      }
      const schema = await ensurePostgresSchema(client, this.table);
      this.#legacy = schema.legacy;
      this.#partitioned = schema.partitioned;
      const columns = [...DATA_COLUMN_NAMES, ...this.#legacy];
      const arrays = columns.map((name, i) => `$${i + 1}::${UNNEST_TYPES[name] ?? 'text'}[]`);
      this.#insertSql = `INSERT INTO ${quoteIdent(this.table)} (${columns.join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})
        ON CONFLICT DO NOTHING`;
      if (this.#partitioned) await this.#partitions.ensure(client, this.#partitions.ahead(Date.now()));
    });
  }

  async insertBatch(rows: readonly TraceRow[]): Promise<StoreWriteResult> {
    if (this.#closed || this.#insertSql === '') return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', 'Trace store is closed') };
    if (rows.length === 0) return WRITE_OK;
    try {
      return await withPgClient(this.#pool, async (client) => {
        if (this.#partitioned) await this.#partitions.ensureFor(client, rows.map((row) => row.timeUs));
        await inPgTransaction(client, async () => {
          for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
            await client.query(this.#insertSql, this.#columnArrays(rows.slice(at, at + ROWS_PER_STATEMENT)));
          }
        });
        return WRITE_OK;
      });
    } catch (error) {
      this.#partitions.forget(); // a partition may have been dropped under us: look again next time
      return classifyWriteError(error);
    }
  }

  /** One array per column, in insert order. */
  #columnArrays(rows: readonly TraceRow[]): unknown[][] {
    const width = DATA_COLUMN_NAMES.length + this.#legacy.length;
    const arrays = Array.from({ length: width }, () => new Array<unknown>(rows.length));
    const values: unknown[] = [];
    for (let r = 0; r < rows.length; r++) {
      values.length = 0;
      pushRowValues(values, rows[r], this.#legacy);
      for (let c = 0; c < width; c++) arrays[c][r] = pgText(values[c]);
    }
    return arrays;
  }

  async search(query: TraceQuery): Promise<TraceRecord[]> {
    const limit = searchLimit(query);
    const where = buildWhere(query, (i) => `$${i}`);
    const sql = `SELECT * FROM ${quoteIdent(this.table)} ${where.sql} ORDER BY time_stamp DESC, time_us DESC, id DESC LIMIT ${limit}`;
    const result = await this.#pool.query<DbRow>(sql, where.values.map(pgText));
    return result.rows.map(recordOf);
  }

  async byCallId(callid: string): Promise<TraceRecord[]> {
    const sql = `SELECT * FROM ${quoteIdent(this.table)} WHERE callid = $1 ORDER BY time_stamp, time_us, id LIMIT ${MAX_CALL_ROWS}`;
    const result = await this.#pool.query<DbRow>(sql, [pgText(fitColumn(callid, 'callid'))]);
    return result.rows.map(recordOf);
  }

  async count(): Promise<number> {
    const result = await this.#pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(this.table)}`);
    return Number(result.rows[0].n);
  }

  /** Drops whole day partitions older than the cutoff (a plain table: chunked DELETEs), then creates the days ahead. */
  async applyRetention(keepDays: number, nowMs = Date.now()): Promise<RetentionResult> {
    const cutoffMs = nowMs - keepDays * 86_400_000;
    return withPgClient(this.#pool, async (client) => {
      if (!this.#partitioned) return { deletedRows: await this.#deleteOlder(client, cutoffMs), droppedPartitions: [] };
      return { deletedRows: 0, droppedPartitions: await this.#partitions.dropBefore(client, cutoffMs, nowMs) };
    });
  }

  async #deleteOlder(client: pg.PoolClient, cutoffMs: number): Promise<number> {
    const table = quoteIdent(this.table);
    const sql = `DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE time_stamp < $1 LIMIT ${RETENTION_CHUNK_ROWS})`;
    let deleted = 0;
    for (;;) {
      const { rowCount } = await client.query(sql, [stampOfUs(cutoffMs * 1000)]);
      deleted += rowCount ?? 0;
      if ((rowCount ?? 0) < RETENTION_CHUNK_ROWS || this.#closed) return deleted;
      await yieldToLoop();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }
}
