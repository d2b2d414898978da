import mysql, { type Pool, type ResultSetHeader } from 'mysql2/promise';
import { isoMicros } from './event-row.js';
import { quoted, type SqlDialect } from './dialect.js';

/** Server errors after which the same batch may succeed (lock wait, deadlock, too many connections, gone away). */
const TRANSIENT_ERRNO = new Set([1040, 1053, 1205, 1213, 2002, 2003, 2006, 2013]);

/** MySQL or MariaDB through mysql2: params as JSON, time as DATETIME(6) UTC, idempotent on id. */
export class MysqlDialect implements SqlDialect {
  readonly kind = 'mysql';
  readonly location: string;
  readonly #pool: Pool;

  constructor(url: string, location: string) {
    this.location = location;
    this.#pool = mysql.createPool({ uri: url, connectionLimit: 2, timezone: 'Z', jsonStrings: true, supportBigNumbers: true, connectTimeout: 10_000 });
  }

  async connect(): Promise<void> {
    (await this.#pool.getConnection()).release();
  }

  async tableExists(table: string): Promise<boolean> {
    const [rows] = await this.#pool.query('SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table]);
    return (rows as unknown[]).length > 0;
  }

  schema(table: string): readonly string[] {
    const index = (name: string, columns: string) => `INDEX ${quoted(`${table}_${name}`, '`')} (${columns})`;
    return [
      `CREATE TABLE IF NOT EXISTS ${quoted(table, '`')} (id VARCHAR(64) NOT NULL PRIMARY KEY, time DATETIME(6) NOT NULL, time_us BIGINT NOT NULL,
        level VARCHAR(16) NOT NULL, category VARCHAR(255) NOT NULL, type VARCHAR(255) NOT NULL, source_id VARCHAR(255) NOT NULL,
        summary TEXT, cause TEXT, snapshot JSON, params JSON NOT NULL,
        ${index('time', 'time_us')}, ${index('type', 'type, time_us')}, ${index('level', 'level, time_us')}, ${index('source', 'source_id, time_us')}
      ) CHARACTER SET utf8mb4`,
    ];
  }

  placeholder(): string {
    return '?';
  }

  timeText(timeUs: number): string {
    return isoMicros(timeUs).replace('T', ' ').slice(0, -1);
  }

  insertIgnoring(table: string, columns: string, tuples: string): string {
    // Not INSERT IGNORE: that would also hide real errors (a value that does not fit) as warnings.
    return `INSERT INTO ${quoted(table, '`')} (${columns}) VALUES ${tuples} ON DUPLICATE KEY UPDATE id = id`;
  }

  purgeChunk(table: string, chunk: number): string {
    return `DELETE FROM ${quoted(table, '`')} WHERE time_us < ? LIMIT ${chunk}`;
  }

  selectColumns(): string {
    return 'id, time_us, level, category, type, source_id, summary, cause, snapshot, params';
  }

  async runAll(statements: ReadonlyArray<readonly [string, readonly unknown[]]>): Promise<number[]> {
    const connection = await this.#pool.getConnection();
    try {
      await connection.beginTransaction();
      const changed: number[] = [];
      for (const [sql, values] of statements) changed.push(((await connection.query(sql, mutable(values)))[0] as ResultSetHeader).affectedRows);
      await connection.commit();
      return changed;
    } catch (error) {
      await connection.rollback().catch(() => undefined);
      throw error;
    } finally {
      connection.release();
    }
  }

  async all<T>(sql: string, values: readonly unknown[]): Promise<T[]> {
    return (await this.#pool.query(sql, mutable(values)))[0] as T[];
  }

  isTransient(error: Error): boolean {
    const { errno, code } = error as Error & { errno?: number; code?: string };
    return (errno !== undefined && TRANSIENT_ERRNO.has(errno)) || /^E[A-Z]+$/.test(code ?? '') || code === 'PROTOCOL_CONNECTION_LOST';
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

/** mysql2 wants a mutable array of non-unknown values; the event store passes only text, numbers and null. */
function mutable(values: readonly unknown[]): Array<string | number | null> {
  return values as Array<string | number | null>;
}
