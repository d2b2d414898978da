import mysql, { type ExecuteValues, type Pool, type PoolConnection, type ResultSetHeader, type RowDataPacket } from 'mysql2/promise';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { WRITE_OK } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import { DATA_COLUMN_NAMES, quoteMysqlIdent } from './columns.js';
import { ensureMysqlSchema, mysqlTableExists } from './mysql-schema.js';
import { fitColumn } from './fit.js';
import { buildWhere, searchLimit } from './query.js';
import { pushRowValues, recordOf, stampOfUs, type DbRow } from './row-values.js';
import {
  MAX_CALL_ROWS, RETENTION_CHUNK_ROWS, type RetentionResult, type StoreWriteResult, type TraceQuery, type TraceRecord, type TraceRow, type TraceStore,
} from './types.js';
import { classifyWriteError } from './write-errors.js';

/** Rows per server-side prepared multi-row INSERT (500 × 24 placeholders, well under the 65,535 limit). */
const ROWS_PER_STATEMENT = 500;

export interface MysqlStoreOptions {
  readonly url: string;
  readonly table: string;
  readonly mode: 'read' | 'write';
  readonly location: string;
}

/**
 * The trace store in MySQL or MariaDB: server-side prepared multi-row INSERTs
 * in one transaction per batch; retention deletes in chunks.
 */
export class MysqlTraceStore implements TraceStore {
  readonly kind = 'mysql';
  readonly table: string;
  readonly location: string;
  readonly #options: MysqlStoreOptions;
  readonly #pool: Pool;
  #legacy: readonly string[] = [];
  #insertHead = '';
  #opened = false;
  #closed = false;

  constructor(options: MysqlStoreOptions) {
    this.#options = options;
    this.table = options.table;
    this.location = options.location;
    // DATETIME comes back as text: it is UTC and must not pass through local-time Dates.
    this.#pool = mysql.createPool({
      uri: options.url.replace(/^mariadb:/, 'mysql:'), connectionLimit: 4, dateStrings: true, charset: 'UTF8MB4_BIN', connectTimeout: 10_000,
    });
  }

  async open(): Promise<void> {
    const conn = await this.#pool.getConnection();
    try {
      if (this.#options.mode === 'read') {
        if (!await mysqlTableExists(conn, this.table)) throw new HeraldError('HERALD_ERR_NOT_FOUND', `No table ${this.table} at ${this.location}`);
      } else {
        this.#legacy = (await ensureMysqlSchema(conn, this.table)).legacy;
        this.#insertHead = `INSERT INTO ${quoteMysqlIdent(this.table)} (${[...DATA_COLUMN_NAMES, ...this.#legacy].join(', ')}) VALUES `;
      }
      this.#opened = true;
    } finally {
      conn.release();
    }
  }

  async insertBatch(rows: readonly TraceRow[]): Promise<StoreWriteResult> {
    if (this.#closed || this.#insertHead === '') return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', 'Trace store is closed') };
    if (rows.length === 0) return WRITE_OK;
    let conn: PoolConnection | undefined;
    try {
      conn = await this.#pool.getConnection();
      await conn.beginTransaction();
      const values: unknown[] = [];
      for (let at = 0; at < rows.length; at += ROWS_PER_STATEMENT) {
        const chunk = rows.slice(at, at + ROWS_PER_STATEMENT);
        values.length = 0;
        for (const row of chunk) pushRowValues(values, row, this.#legacy);
        await conn.execute(this.#insertSql(chunk.length), values as ExecuteValues[]);
      }
      await conn.commit();
      return WRITE_OK;
    } catch (error) {
      await conn?.rollback().catch(() => undefined);
      return classifyWriteError(error);
    } finally {
      conn?.release();
    }
  }

  #insertSql(count: number): string {
    const tuple = `(${new Array<string>(DATA_COLUMN_NAMES.length + this.#legacy.length).fill('?').join(',')})`;
    return this.#insertHead + new Array<string>(count).fill(tuple).join(',');
  }

  async search(query: TraceQuery): Promise<TraceRecord[]> {
    const limit = searchLimit(query);
    const where = buildWhere(query, () => '?');
    const sql = `SELECT * FROM ${quoteMysqlIdent(this.table)} ${where.sql} ORDER BY time_stamp DESC, time_us DESC, id DESC LIMIT ${limit}`;
    return this.#select(sql, where.values);
  }

  async byCallId(callid: string): Promise<TraceRecord[]> {
    const sql = `SELECT * FROM ${quoteMysqlIdent(this.table)} WHERE callid = ? ORDER BY time_stamp, time_us, id LIMIT ${MAX_CALL_ROWS}`;
    return this.#select(sql, [fitColumn(callid, 'callid')]);
  }

  async #select(sql: string, values: unknown[]): Promise<TraceRecord[]> {
    this.#checkOpen();
    const [rows] = await this.#pool.execute<RowDataPacket[]>(sql, values as ExecuteValues[]);
    return rows.map((row) => recordOf(row as DbRow));
  }

  async count(): Promise<number> {
    this.#checkOpen();
    const [rows] = await this.#pool.query<RowDataPacket[]>(`SELECT count(*) AS n FROM ${quoteMysqlIdent(this.table)}`);
    return Number(rows[0].n);
  }

  async applyRetention(keepDays: number, nowMs = Date.now()): Promise<RetentionResult> {
    this.#checkOpen();
    const cutoff = stampOfUs((nowMs - keepDays * 86_400_000) * 1000);
    const sql = `DELETE FROM ${quoteMysqlIdent(this.table)} WHERE time_stamp < ? ORDER BY time_stamp LIMIT ${RETENTION_CHUNK_ROWS}`;
    let deletedRows = 0;
    for (;;) {
      const [result] = await this.#pool.execute<ResultSetHeader>(sql, [cutoff]);
      deletedRows += result.affectedRows;
      if (result.affectedRows < RETENTION_CHUNK_ROWS || this.#closed) break;
      await yieldToLoop();
    }
    return { deletedRows, droppedPartitions: [] };
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#pool.end();
  }

  #checkOpen(): void {
    if (!this.#opened || this.#closed) throw new HeraldError('HERALD_ERR_BACKEND_CLOSED', 'Trace store is not open');
  }
}
