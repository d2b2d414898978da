import type { Database } from 'better-sqlite3';
import { DATA_COLUMNS, INDEXES, quoteIdent } from './columns.js';
import { addColumnType, planMigration, SCHEMA_TABLE, SCHEMA_VERSION, type MigrationPlan } from './schema-plan.js';

/** Whether a table exists in the main schema. */
export function sqliteTableExists(db: Database, table: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table) !== undefined;
}

function existingColumns(db: Database, table: string): string[] {
  return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((row) => row.name);
}

/**
 * Creates the table, or adds what an older one lacks, then the indexes and the
 * version row, all in one transaction. Returns the legacy columns to keep filling.
 */
export function ensureSqliteSchema(db: Database, table: string): MigrationPlan {
  const quoted = quoteIdent(table);
  return db.transaction(() => {
    let plan: MigrationPlan;
    if (sqliteTableExists(db, table)) {
      plan = planMigration(existingColumns(db, table));
      for (const column of plan.missing) {
        db.exec(`ALTER TABLE ${quoted} ADD COLUMN ${column.name} ${addColumnType(column, 'sqlite')}`);
      }
    } else {
      const columns = DATA_COLUMNS.map((column) => `${column.name} ${column.sqlite}`);
      db.exec(`CREATE TABLE ${quoted} (id INTEGER PRIMARY KEY NOT NULL, ${columns.join(', ')})`);
      plan = { missing: [], legacy: [] };
    }
    for (const index of INDEXES) {
      db.exec(`CREATE INDEX IF NOT EXISTS ${quoteIdent(`${table}_${index.suffix}`)} ON ${quoted} (${index.columns.join(', ')})`);
    }
    db.exec(`CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (table_name TEXT PRIMARY KEY NOT NULL, version INTEGER NOT NULL, migrated_at TEXT NOT NULL)`);
    db.prepare(`INSERT INTO ${SCHEMA_TABLE} (table_name, version, migrated_at) VALUES (?, ?, ?)
      ON CONFLICT (table_name) DO UPDATE SET version = excluded.version, migrated_at = excluded.migrated_at
      WHERE version <> excluded.version`)
      .run(table, SCHEMA_VERSION, new Date().toISOString());
    return plan;
  }).immediate();
}
