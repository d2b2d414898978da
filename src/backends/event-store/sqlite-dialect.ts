import Database, { type Database as Db, type Statement } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { HeraldError } from '../../errors/herald-error.js';
import { isoMicros } from './event-row.js';
import { quoted, type SqlDialect } from './dialect.js';

/** SQLite through better-sqlite3: WAL, synchronous=NORMAL, one transaction per batch. */
export class SqliteDialect implements SqlDialect {
  readonly kind = 'sqlite';
  readonly location: string;
  #db: Db | undefined;
  /** Prepared once per SQL text: preparing a 500-row INSERT per batch cost more than running it. */
  readonly #prepared = new Map<string, Statement>();

  constructor(path: string) {
    this.location = path;
  }

  async connect(mode: 'read' | 'write'): Promise<void> {
    if (mode === 'read') {
      if (!existsSync(this.location)) throw new HeraldError('HERALD_ERR_NOT_FOUND', `No event store at ${this.location}: nothing has been stored there yet`);
      this.#db = new Database(this.location, { readonly: true, fileMustExist: true, timeout: 5000 });
      return;
    }
    this.#db = new Database(this.location, { timeout: 5000 });
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
  }

  async tableExists(table: string): Promise<boolean> {
    return this.#open().prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
  }

  schema(table: string): readonly string[] {
    const t = quoted(table, '"');
    return [
      `CREATE TABLE IF NOT EXISTS ${t} (id TEXT PRIMARY KEY, time TEXT NOT NULL, time_us INTEGER NOT NULL, level TEXT NOT NULL,
        category TEXT NOT NULL, type TEXT NOT NULL, source_id TEXT NOT NULL, summary TEXT, cause TEXT, snapshot TEXT, params TEXT NOT NULL)`,
      ...indexStatements(table, t),
    ];
  }

  placeholder(): string {
    return '?';
  }

  timeText(timeUs: number): string {
    return isoMicros(timeUs);
  }

  insertIgnoring(table: string, columns: string, tuples: string): string {
    return `INSERT OR IGNORE INTO ${quoted(table, '"')} (${columns}) VALUES ${tuples}`;
  }

  purgeChunk(table: string, chunk: number): string {
    const t = quoted(table, '"');
    return `DELETE FROM ${t} WHERE rowid IN (SELECT rowid FROM ${t} WHERE time_us < ? LIMIT ${chunk})`;
  }

  selectColumns(): string {
    return 'id, time_us, level, category, type, source_id, summary, cause, snapshot, params';
  }

  async runAll(statements: ReadonlyArray<readonly [string, readonly unknown[]]>): Promise<number[]> {
    const db = this.#open();
    return db.transaction(() => statements.map(([sql, values]) => this.#statement(db, sql).run(values).changes))();
  }

  async all<T>(sql: string, values: readonly unknown[]): Promise<T[]> {
    return this.#open().prepare(sql).all(values) as T[];
  }

  isTransient(error: Error): boolean {
    return /^SQLITE_(BUSY|LOCKED|FULL|IOERR|CANTOPEN)/.test((error as Error & { code?: string }).code ?? '');
  }

  #statement(db: Db, sql: string): Statement {
    let statement = this.#prepared.get(sql);
    if (statement === undefined) {
      statement = db.prepare(sql);
      // Insert shapes are few (the full batch and its tails); DDL and deletes are not worth keeping.
      if (sql.startsWith('INSERT') && this.#prepared.size < 64) this.#prepared.set(sql, statement);
    }
    return statement;
  }

  async close(): Promise<void> {
    this.#prepared.clear();
    this.#db?.close();
    this.#db = undefined;
  }

  #open(): Db {
    if (this.#db === undefined) throw new HeraldError('HERALD_ERR_BACKEND_CLOSED', `Event store ${this.location} is closed`);
    return this.#db;
  }
}

/** The four indexes (design.md: time, type, level, source_id), the same in every database. */
export function indexStatements(table: string, quotedTable: string): string[] {
  return [['time', 'time_us'], ['type', 'type, time_us'], ['level', 'level, time_us'], ['source', 'source_id, time_us']]
    .map(([name, columns]) => `CREATE INDEX IF NOT EXISTS ${quoted(`${table}_${name}`, '"')} ON ${quotedTable} (${columns})`);
}
