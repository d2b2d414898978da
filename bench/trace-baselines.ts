import Database from 'better-sqlite3';
import pg from 'pg';
import { DATA_COLUMNS, DATA_COLUMN_NAMES, INDEXES } from '../src/trace/store/columns.js';
import { pushRowValues } from '../src/trace/store/row-values.js';
import type { TraceRow } from '../src/trace/store/index.js';

/*
 * The anchors the trace bench compares Herald with: what a developer writes
 * first. Same table, same indexes, same rows.
 */

/** Naive better-sqlite3: WAL, one prepared single-row INSERT, 1,000-row transactions. Returns rows/s. */
export function naiveSqlite(path: string, rows: readonly TraceRow[]): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE sip_trace (id INTEGER PRIMARY KEY NOT NULL, ${DATA_COLUMNS.map((c) => `${c.name} ${c.sqlite}`).join(', ')})`);
  for (const index of INDEXES) db.exec(`CREATE INDEX sip_trace_${index.suffix} ON sip_trace (${index.columns.join(', ')})`);
  const insert = db.prepare(`INSERT INTO sip_trace (${DATA_COLUMN_NAMES.join(', ')}) VALUES (${DATA_COLUMN_NAMES.map(() => '?').join(', ')})`);
  const values: unknown[] = [];
  const transaction = db.transaction((batch: readonly TraceRow[]) => {
    for (const row of batch) {
      values.length = 0;
      pushRowValues(values, row, []);
      insert.run(values);
    }
  });
  const start = performance.now();
  for (let at = 0; at < rows.length; at += 1000) transaction(rows.slice(at, at + 1000));
  db.close();
  return rows.length / ((performance.now() - start) / 1000);
}

/** COPY's text format: tab-separated, backslash escapes, \N for NULL. */
export function copyField(value: unknown): string {
  if (value === null || value === undefined) return '\\N';
  return String(value).replace(/[\\\t\n\r\0]/g, (c) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' }[c] as string));
}

/** COPY … FROM STDIN through pg's submittable protocol (what pg-copy-streams does), without the dependency. */
export class CopyIn extends pg.Query {
  readonly #chunks: readonly Buffer[];

  constructor(text: string, chunks: readonly Buffer[], callback: (error: Error | null) => void) {
    super({ text }, undefined, callback as never);
    this.#chunks = chunks;
  }

  handleCopyInResponse(connection: unknown): void {
    const conn = connection as { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void };
    for (const chunk of this.#chunks) conn.sendCopyFromChunk(chunk);
    conn.endCopyFrom();
  }
}

/** PostgreSQL COPY FROM STDIN in 10,000-row batches, rows formatted in JS. Returns rows/s. */
export async function copyPostgres(url: string, table: string, rows: readonly TraceRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sql = `COPY "${table}" (${DATA_COLUMN_NAMES.join(', ')}) FROM STDIN`;
    const values: unknown[] = [];
    const start = performance.now();
    for (let at = 0; at < rows.length; at += 10_000) {
      const lines: string[] = [];
      for (const row of rows.slice(at, at + 10_000)) {
        values.length = 0;
        pushRowValues(values, row, []);
        lines.push(values.map(copyField).join('\t'));
      }
      const data = Buffer.from(`${lines.join('\n')}\n`, 'utf8');
      await new Promise<void>((resolve, reject) => client.query(new CopyIn(sql, [data], (e) => (e ? reject(e) : resolve()))));
    }
    return rows.length / ((performance.now() - start) / 1000);
  } finally {
    await client.end();
  }
}

/** PostgreSQL naive: one single-row parametrised INSERT per row, 1,000-row transactions. Returns rows/s. */
export async function naivePostgres(url: string, table: string, rows: readonly TraceRow[]): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const sql = `INSERT INTO "${table}" (${DATA_COLUMN_NAMES.join(', ')}) VALUES (${DATA_COLUMN_NAMES.map((_, i) => `$${i + 1}`).join(', ')})`;
    const start = performance.now();
    for (let at = 0; at < rows.length; at += 1000) {
      await client.query('BEGIN');
      for (const row of rows.slice(at, at + 1000)) {
        const values: unknown[] = [];
        pushRowValues(values, row, []);
        await client.query({ name: 'naive-insert', text: sql, values });
      }
      await client.query('COMMIT');
    }
    return rows.length / ((performance.now() - start) / 1000);
  } finally {
    await client.end();
  }
}
