/**
 * What differs between SQLite, PostgreSQL and MySQL/MariaDB for the event
 * store: connecting, DDL, placeholders, the idempotent insert and the chunked
 * delete. Everything else is SqlEventStore's, written once.
 */
export interface SqlDialect {
  readonly kind: 'sqlite' | 'postgres' | 'mysql';
  /** Where the store is, for messages (passwords masked). */
  readonly location: string;
  /** Connects; in `read` mode never creates anything. */
  connect(mode: 'read' | 'write'): Promise<void>;
  tableExists(table: string): Promise<boolean>;
  /** CREATE TABLE and CREATE INDEX statements, each idempotent. */
  schema(table: string): readonly string[];
  /** The n-th (1-based) placeholder. */
  placeholder(n: number): string;
  /** `time` as this database takes it from text. */
  timeText(timeUs: number): string;
  /** INSERT of `tuples` (already `(…),(…)`) that skips rows whose id is stored already. */
  insertIgnoring(table: string, columns: string, tuples: string): string;
  /**
   * PostgreSQL: one INSERT taking an array per column (EVENT_COLUMNS order) for a whole batch, skipping stored ids;
   * the others take multi-row `insertIgnoring`.
   */
  columnarInsert?(table: string): string;
  /** Deletes at most `chunk` rows with time_us below the first parameter. */
  purgeChunk(table: string, chunk: number): string;
  /** The select list: JSON columns as text. */
  selectColumns(): string;
  /** Runs statements in one transaction. Returns the rows each changed. */
  runAll(statements: ReadonlyArray<readonly [string, readonly unknown[]]>): Promise<number[]>;
  all<T>(sql: string, values: readonly unknown[]): Promise<T[]>;
  /** PostgreSQL: the table's day partitions (none for SQLite and MySQL). */
  dayPartitions?(table: string): StoreDays;
  /** Whether a failed write may succeed later (connection lost, busy, disk full). */
  isTransient(error: Error): boolean;
  close(): Promise<void>;
}

/** A table's day partitions as the event store drives them. */
export interface StoreDays {
  /** After the schema: finds whether the table is partitioned (an older plain table is not) and makes the days ahead. */
  open(): Promise<void>;
  /** Before an insert: makes the partitions rows of these µs times go to (a known day costs no query). */
  ensureFor(timesUs: readonly number[]): Promise<void>;
  /** After a failed insert: look again next time (a partition may have been dropped under us). */
  forget(): void;
  /** Drops the days wholly before the cutoff and returns their partitions; undefined for a plain table (DELETE then). */
  dropBefore(cutoffUs: number): Promise<string[] | undefined>;
}

/** `"name"` or `` `name` ``: identifiers are checked by the schema's pattern, quoted anyway. */
export function quoted(name: string, quote: '"' | '`'): string {
  return `${quote}${name}${quote}`;
}
