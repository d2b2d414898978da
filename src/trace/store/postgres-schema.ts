import type { PoolClient } from 'pg';
import { tableKind } from '../../backends/shared/pg-day-partitions.js';
import { DATA_COLUMNS, INDEXES, quoteIdent } from './columns.js';
import { addColumnType, planMigration, SCHEMA_TABLE, SCHEMA_VERSION, type MigrationPlan } from './schema-plan.js';

/** What the open found: the legacy columns to fill, and whether rows go to day partitions. */
export interface PostgresSchema extends MigrationPlan {
  readonly partitioned: boolean;
}

async function existingColumns(client: PoolClient, table: string): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
    [table],
  );
  return result.rows.map((row) => row.name);
}

/**
 * Creates the table partitioned by day on time_stamp, or migrates an existing
 * one in place (a plain older table stays plain: PostgreSQL cannot partition a
 * table after the fact, so retention falls back to chunked DELETEs there).
 * Runs in one transaction under an advisory lock, so two daemons starting
 * together do not race.
 */
export async function ensurePostgresSchema(client: PoolClient, table: string): Promise<PostgresSchema> {
  const quoted = quoteIdent(table);
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`herald:${table}`]);
    const kind = await tableKind(client, table);
    let plan: MigrationPlan = { missing: [], legacy: [] };
    if (kind === undefined) {
      const columns = DATA_COLUMNS.map((column) => `${column.name} ${column.postgres}`);
      await client.query(`CREATE TABLE ${quoted} (id BIGSERIAL NOT NULL, ${columns.join(', ')}, PRIMARY KEY (id, time_stamp))
        PARTITION BY RANGE (time_stamp)`);
    } else {
      plan = planMigration(await existingColumns(client, table));
      for (const column of plan.missing) {
        await client.query(`ALTER TABLE ${quoted} ADD COLUMN IF NOT EXISTS ${column.name} ${addColumnType(column, 'postgres')}`);
      }
    }
    for (const index of INDEXES) {
      await client.query(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_${index.suffix}`)} ON ${quoted} (${index.columns.join(', ')})`);
    }
    // What makes a writer's insert idempotent (ON CONFLICT DO NOTHING). A unique index on a
    // partitioned table must hold the partition key; a row keeps its time_stamp, so (row_uid,
    // time_stamp) is as unique as row_uid. Partial: rows without one (standalone) cost the index nothing.
    await client.query(`CREATE UNIQUE INDEX IF NOT EXISTS ${quoteIdent(`${table}_row_uid_key`)} ON ${quoted} (row_uid, time_stamp) WHERE row_uid IS NOT NULL`);
    await client.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (table_name TEXT PRIMARY KEY, version INTEGER NOT NULL, migrated_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    await client.query(
      `INSERT INTO ${SCHEMA_TABLE} (table_name, version) VALUES ($1, $2)
       ON CONFLICT (table_name) DO UPDATE SET version = EXCLUDED.version, migrated_at = now() WHERE ${SCHEMA_TABLE}.version <> EXCLUDED.version`,
      [table, SCHEMA_VERSION],
    );
    await client.query('COMMIT');
    return { ...plan, partitioned: kind === undefined || kind === 'p' };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
