import { WRITE_OK, type WriteResult } from '../../bus/backend.js';
import { HeraldError, toError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import type { SqlDialect, StoreDays } from './dialect.js';
import { EVENT_COLUMNS, pushEventValues, storedEventOf, type EventDbRow, type StoredEvent } from './event-row.js';

/** Rows per multi-row INSERT: 500 × 11 placeholders stays under every database's limit. */
const ROWS_PER_STATEMENT = 500;
/** Rows per retention DELETE, so a long-neglected table is trimmed without one huge transaction. */
const PURGE_CHUNK = 10_000;

/** One page of a search, newest first; `before` continues after the last row of the previous page. */
export interface EventPageQuery {
  readonly sinceUs?: number;
  readonly untilUs?: number;
  readonly before?: { readonly timeUs: number; readonly id: string };
  readonly limit: number;
}

/**
 * The event table in any of the three databases: idempotent batched inserts (PostgreSQL: one unnest() INSERT
 * per batch, faster than COPY once COPY has to stage rows to skip stored ids; docs/benchmarks.md, delivery)
 * (a retried batch never stores an event twice), keyset-paged reads, retention.
 */
export class SqlEventStore {
  readonly dialect: SqlDialect;
  readonly table: string;
  readonly #statements = new Map<number, string>();
  readonly #days: StoreDays | undefined;
  readonly #columnarSql: string | undefined;

  constructor(dialect: SqlDialect, table: string) {
    this.dialect = dialect;
    this.table = table;
    this.#days = dialect.dayPartitions?.(table);
    this.#columnarSql = dialect.columnarInsert?.(table);
  }

  /**
   * Connects; `write` creates the table and indexes when missing, `read` never creates anything.
   * @throws HeraldError HERALD_ERR_NOT_FOUND (read, no table); the driver's error when it cannot connect.
   */
  async open(mode: 'read' | 'write'): Promise<void> {
    await this.dialect.connect(mode);
    if (mode === 'write') {
      for (const statement of this.dialect.schema(this.table)) await this.dialect.runAll([[statement, []]]);
      await this.#days?.open();
    } else if (!(await this.dialect.tableExists(this.table))) {
      throw new HeraldError('HERALD_ERR_NOT_FOUND', `No table ${this.table} in ${this.dialect.location}`);
    }
  }

  async insert(events: readonly HeraldEvent[]): Promise<WriteResult> {
    const statements = this.#columnarSql === undefined ? this.#multiRow(events) : [[this.#columnarSql, this.#columns(events)] as const];
    try {
      await this.#days?.ensureFor(events.map((event) => event.timeUs));
      await this.dialect.runAll(statements);
      return WRITE_OK;
    } catch (thrown) {
      this.#days?.forget();
      const error = toError(thrown);
      return this.dialect.isTransient(error) ? { status: 'retryable', error } : { status: 'failed', error };
    }
  }

  /** Multi-row INSERTs of up to ROWS_PER_STATEMENT rows. */
  #multiRow(events: readonly HeraldEvent[]): Array<readonly [string, readonly unknown[]]> {
    const statements: Array<readonly [string, readonly unknown[]]> = [];
    for (let at = 0; at < events.length; at += ROWS_PER_STATEMENT) {
      const slice = events.slice(at, at + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      for (const event of slice) pushEventValues(values, event, (us) => this.dialect.timeText(us));
      statements.push([this.#insertSql(slice.length), values]);
    }
    return statements;
  }

  /** One array per column, EVENT_COLUMNS order, for the columnar insert. */
  #columns(events: readonly HeraldEvent[]): unknown[][] {
    const columns = EVENT_COLUMNS.map(() => new Array<unknown>(events.length));
    const values: unknown[] = [];
    for (let row = 0; row < events.length; row++) {
      values.length = 0;
      pushEventValues(values, events[row], (us) => this.dialect.timeText(us));
      for (let column = 0; column < values.length; column++) columns[column][row] = values[column];
    }
    return columns;
  }

  /** Newest first, at most `limit` rows. */
  async page(query: EventPageQuery): Promise<StoredEvent[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const next = (value: unknown): string => {
      values.push(value);
      return this.dialect.placeholder(values.length);
    };
    if (query.sinceUs !== undefined) where.push(`time_us >= ${next(Math.floor(query.sinceUs))}`);
    if (query.untilUs !== undefined) where.push(`time_us < ${next(Math.ceil(query.untilUs))}`);
    if (query.before !== undefined) {
      where.push(`(time_us < ${next(query.before.timeUs)} OR (time_us = ${next(query.before.timeUs)} AND id < ${next(query.before.id)}))`);
    }
    const clause = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const limit = Math.max(1, Math.floor(query.limit));
    const sql = `SELECT ${this.dialect.selectColumns()} FROM ${this.#quotedTable()} ${clause} ORDER BY time_us DESC, id DESC LIMIT ${limit}`;
    return (await this.dialect.all<EventDbRow>(sql, values)).map(storedEventOf);
  }

  /**
   * Removes events older than `cutoffUs`: on PostgreSQL by dropping the day partitions wholly before the cutoff's day
   * (so up to a day more is kept), elsewhere by DELETEs in chunks.
   */
  async purgeBefore(cutoffUs: number): Promise<{ readonly deletedRows: number; readonly droppedPartitions: readonly string[] }> {
    const dropped = await this.#days?.dropBefore(cutoffUs);
    if (dropped !== undefined) return { deletedRows: 0, droppedPartitions: dropped };
    return { deletedRows: await this.#deleteBefore(cutoffUs), droppedPartitions: [] };
  }

  async #deleteBefore(cutoffUs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const [changed] = await this.dialect.runAll([[this.dialect.purgeChunk(this.table, PURGE_CHUNK), [Math.floor(cutoffUs)]]]);
      total += changed;
      if (changed < PURGE_CHUNK) return total;
    }
  }

  close(): Promise<void> {
    return this.dialect.close();
  }

  #quotedTable(): string {
    return this.dialect.kind === 'mysql' ? `\`${this.table}\`` : `"${this.table}"`;
  }

  #insertSql(rows: number): string {
    let sql = this.#statements.get(rows);
    if (sql === undefined) {
      let n = 0;
      const tuple = () => `(${EVENT_COLUMNS.map(() => this.dialect.placeholder(++n)).join(', ')})`;
      sql = this.dialect.insertIgnoring(this.table, EVENT_COLUMNS.join(', '), Array.from({ length: rows }, tuple).join(', '));
      this.#statements.set(rows, sql);
    }
    return sql;
  }
}
