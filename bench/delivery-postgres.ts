import pg from 'pg';
import { openEventStore } from '../src/backends/event-store/open.js';
import { EVENT_COLUMNS, isoMicros, pushEventValues } from '../src/backends/event-store/event-row.js';
import type { HeraldEvent } from '../src/events/event.js';
import { reachable } from '../src/testing/services.js';
import { copyField, CopyIn } from './trace-baselines.js';

/*
 * The PostgreSQL event store's anchor for npm run bench -- delivery: COPY … FROM STDIN of the same
 * rows into a table made by the store itself (same columns, primary key, indexes and day partitions),
 * in batches of `batch` rows, the COPY text built before the clock starts.
 */

export const PG_URL = process.env.HERALD_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the shared PostgreSQL answers (the bench skips the pair when it does not). */
export function postgresReachable(): Promise<boolean> {
  const url = new URL(PG_URL);
  return reachable(url.hostname, Number(url.port === '' ? 5432 : url.port));
}

/** COPY of `events` into a fresh store table, `batch` rows per COPY; returns events/s. */
export async function copyAnchor(table: string, events: readonly HeraldEvent[], batch: number): Promise<number> {
  const store = await openEventStore(PG_URL, table, 'write');
  await store.insert(events.slice(0, 1)); // makes the day partition the rows go to
  await store.close();
  const sql = `COPY "${table}" (${EVENT_COLUMNS.join(', ')}) FROM STDIN`;
  const values: unknown[] = [];
  const chunks: Buffer[] = [];
  for (let at = 1; at < events.length; at += batch) {
    const lines: string[] = [];
    for (const event of events.slice(at, at + batch)) {
      values.length = 0;
      pushEventValues(values, event, isoMicros);
      lines.push(values.map(copyField).join('\t'));
    }
    chunks.push(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));
  }
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const start = process.hrtime.bigint();
    for (const chunk of chunks) {
      await new Promise<void>((resolve, reject) => client.query(new CopyIn(sql, [chunk], (error) => (error ? reject(error) : resolve()))));
    }
    return (events.length - 1) / (Number(process.hrtime.bigint() - start) / 1e9);
  } finally {
    await client.end();
  }
}

export async function dropTables(...tables: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    for (const table of tables) await client.query(`DROP TABLE IF EXISTS "${table}"`);
  } finally {
    await client.end();
  }
}
