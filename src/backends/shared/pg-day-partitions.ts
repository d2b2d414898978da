import type { PoolClient } from 'pg';
import { inPgTransaction } from './pg-client.js';

/**
 * Day partitions of a PostgreSQL table (the trace store's and the event store's):
 * `<table>_pYYYYMMDD`, each holding [day 00:00, next day 00:00) in UTC. Partition
 * bounds cannot be bound parameters, so they are written from day numbers this
 * module formats itself (never from input) and checked against a fixed pattern
 * before use. The bounds carry `+00`, so a timestamptz key is cut at UTC midnight
 * whatever the session's time zone (a timestamp key ignores the offset).
 */
export const DAY_MS = 86_400_000;
/** Partitions created ahead of today, so the first row of a new day never waits for DDL. */
export const DAYS_AHEAD = 3;
/** The longest table name whose partition names (10 characters longer) fit PostgreSQL's 63. */
export const MAX_PARTITIONED_TABLE_CHARS = 53;

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

/** 'p' partitioned, 'r' plain table, undefined when there is no such table in the current schema. */
export async function tableKind(client: PoolClient, table: string): Promise<string | undefined> {
  const result = await client.query<{ relkind: string }>(
    `SELECT relkind FROM pg_class WHERE relname = $1 AND relnamespace = current_schema()::regnamespace AND relkind IN ('r', 'p')`,
    [table],
  );
  return result.rows[0]?.relkind;
}

function quoteIdent(name: string): string {
  return `"${name}"`;
}

/** Creates the partition for `day` unless it exists (caller holds the table's advisory lock). */
export async function createPartition(client: PoolClient, table: string, day: number): Promise<void> {
  const from = dateOfDay(day);
  const to = dateOfDay(day + 1);
  await client.query(
    `CREATE TABLE IF NOT EXISTS ${quoteIdent(partitionName(table, day))} PARTITION OF ${quoteIdent(table)}
       FOR VALUES FROM ('${from} 00:00:00+00') TO ('${to} 00:00:00+00')`,
  );
}

/**
 * The day partitions of one table as a store keeps them: made for every day a
 * batch needs before it is inserted (remembered, so a known day costs no query)
 * and a few days ahead, dropped whole by retention.
 */
export class DayPartitions {
  readonly table: string;
  /** Days known to have a partition. */
  readonly #days = new Set<number>();

  constructor(table: string) {
    this.table = table;
  }

  /** Today and DAYS_AHEAD days after it. */
  ahead(nowMs: number): number[] {
    const today = dayOfUs(nowMs * 1000);
    return Array.from({ length: DAYS_AHEAD + 1 }, (_, i) => today + i);
  }

  /** Makes the partitions of `days` that are not known to exist, under the table's advisory lock. */
  async ensure(client: PoolClient, days: Iterable<number>): Promise<void> {
    const wanted = [...new Set(days)].filter((day) => !this.#days.has(day));
    if (wanted.length === 0) return;
    await inPgTransaction(client, async () => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`herald:${this.table}`]);
      const existing = await listPartitions(client, this.table);
      for (const day of wanted) if (!existing.has(day)) await createPartition(client, this.table, day);
    });
    for (const day of wanted) this.#days.add(day);
  }

  /** Makes the partitions the rows of these µs times go to. */
  ensureFor(client: PoolClient, timesUs: Iterable<number>): Promise<void> {
    const days = new Set<number>();
    for (const timeUs of timesUs) days.add(dayOfUs(timeUs));
    return this.ensure(client, days);
  }

  /** Forgets which days exist (after a failed write: a partition may have been dropped under us). */
  forget(): void {
    this.#days.clear();
  }

  /** Drops the partitions of days wholly before the cutoff's day, then makes the days ahead. Returns the dropped names, sorted. */
  async dropBefore(client: PoolClient, cutoffMs: number, nowMs: number): Promise<string[]> {
    const firstKeptDay = dayOfUs(cutoffMs * 1000);
    const dropped: string[] = [];
    for (const [day, name] of await listPartitions(client, this.table)) {
      if (day >= firstKeptDay) continue;
      await client.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
      this.#days.delete(day);
      dropped.push(name);
    }
    await this.ensure(client, this.ahead(nowMs));
    return dropped.sort();
  }
}
