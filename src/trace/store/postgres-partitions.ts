import type { PoolClient } from 'pg';
import { quoteIdent } from './columns.js';

/**
 * Day partitions of a PostgreSQL trace table: `<table>_pYYYYMMDD`, each holding
 * [day 00:00, next day 00:00) in UTC. Partition bounds cannot be bound
 * parameters, so they are written from day numbers this module formats itself
 * (never from input) and checked against a fixed pattern before use.
 */
export const DAY_MS = 86_400_000;
/** Partitions created ahead of today, so the first row of a new day never waits for DDL. */
export const DAYS_AHEAD = 3;

const DATE_LITERAL = /^\d{4}-\d{2}-\d{2}$/;
const SUFFIX = /_p(\d{4})(\d{2})(\d{2})$/;

/** Day number (days since the epoch, UTC) of a µs timestamp. */
export function dayOfUs(timeUs: number): number {
  return Math.floor(timeUs / 1000 / DAY_MS);
}

function dateOfDay(day: number): string {
  const iso = new Date(day * DAY_MS).toISOString().slice(0, 10);
  if (!DATE_LITERAL.test(iso)) throw new RangeError(`Day ${day} is outside the years PostgreSQL partitions can name`);
  return iso;
}

export function partitionName(table: string, day: number): string {
  return `${table}_p${dateOfDay(day).replaceAll('-', '')}`;
}

/** The day a partition of `table` holds, from its name; undefined for anything else. */
export function dayOfPartition(table: string, name: string): number | undefined {
  if (!name.startsWith(`${table}_p`)) return undefined;
  const match = SUFFIX.exec(name);
  if (match === null || name.length !== table.length + 10) return undefined;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isFinite(ms) ? ms / DAY_MS : undefined;
}

/** The partitions of `table` in the current schema, by day. */
export async function listPartitions(client: PoolClient, table: string): Promise<Map<number, string>> {
  const result = await client.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i
       JOIN pg_class c ON c.oid = i.inhrelid
       JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 AND p.relnamespace = current_schema()::regnamespace`,
    [table],
  );
  const out = new Map<number, string>();
  for (const { name } of result.rows) {
    const day = dayOfPartition(table, name);
    if (day !== undefined) out.set(day, name);
  }
  return out;
}

/** Creates the partition for `day` unless it exists (caller holds the table's advisory lock). */
export async function createPartition(client: PoolClient, table: string, day: number): Promise<void> {
  const from = dateOfDay(day);
  const to = dateOfDay(day + 1);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${quoteIdent(partitionName(table, day))} PARTITION OF ${quoteIdent(table)}
       FOR VALUES FROM ('${from}') TO ('${to}')`,
  );
}
