import { DATA_COLUMNS, LEGACY_COLUMNS, type ColumnSpec } from './columns.js';

/**
 * Schema version Herald records in its `herald_schema` table, one row per trace
 * table. Version 1: the first 19 DATA_COLUMNS and four indexes. Version 2: adds
 * from_user, to_user, ruri_user, fromip and toip, and indexes on to_ip and the
 * three users (an older table gains them when opened for writing). Version 3: adds
 * row_uid, unique in PostgreSQL (with time_stamp, the partition key), for rows that
 * crossed JetStream (docs/scale-out.md).
 */
export const SCHEMA_VERSION = 3;
export const SCHEMA_TABLE = 'herald_schema';

/** What opening an existing table has to do to it. */
export interface MigrationPlan {
  /** Columns to add (an older Kamailio, OpenSIPS or OpenSER table lacks some). */
  readonly missing: readonly ColumnSpec[];
  /** Older columns present that Herald keeps filling (see LEGACY_COLUMNS). */
  readonly legacy: readonly string[];
}

/** Compares an existing table's columns (any case) with what Herald writes. */
export function planMigration(existing: Iterable<string>): MigrationPlan {
  const have = new Set([...existing].map((name) => name.toLowerCase()));
  return {
    missing: DATA_COLUMNS.filter((column) => !have.has(column.name)),
    legacy: Object.keys(LEGACY_COLUMNS).filter((name) => have.has(name)),
  };
}

/** The ADD COLUMN type for a column: as created, except MySQL's msg, which cannot have a default. */
export function addColumnType(column: ColumnSpec, dialect: 'sqlite' | 'postgres' | 'mysql'): string {
  if (dialect === 'mysql' && column.name === 'msg') return 'MEDIUMTEXT NULL';
  return column[dialect];
}
