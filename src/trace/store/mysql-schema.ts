import type { PoolConnection, RowDataPacket } from 'mysql2/promise';
import { DATA_COLUMNS, INDEXES, quoteMysqlIdent } from './columns.js';
import { addColumnType, planMigration, SCHEMA_TABLE, SCHEMA_VERSION, type MigrationPlan } from './schema-plan.js';

export async function mysqlTableExists(conn: PoolConnection, table: string): Promise<boolean> {
  const [rows] = await conn.execute<RowDataPacket[]>(
    'SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?', [table],
  );
  return rows.length > 0;
}

/** Leading-column lists of the table's indexes, e.g. `callid` or `from_ip,to_ip`. */
async function indexedColumnLists(conn: PoolConnection, table: string): Promise<Set<string>> {
  const [rows] = await conn.execute<RowDataPacket[]>(
    `SELECT index_name AS idx, column_name AS col FROM information_schema.statistics
     WHERE table_schema = DATABASE() AND table_name = ? ORDER BY index_name, seq_in_index`, [table],
  );
  const byIndex = new Map<string, string[]>();
  for (const row of rows) byIndex.set(String(row.idx), [...(byIndex.get(String(row.idx)) ?? []), String(row.col).toLowerCase()]);
  return new Set([...byIndex.values()].map((cols) => cols.join(',')));
}

/**
 * Creates the table (InnoDB, utf8mb4) or migrates an older Kamailio/OpenSIPS one;
 * an index is only added when no existing index already starts with its columns
 * (older tables name theirs differently). Serialised by GET_LOCK.
 */
export async function ensureMysqlSchema(conn: PoolConnection, table: string): Promise<MigrationPlan> {
  const quoted = quoteMysqlIdent(table);
  const lock = `herald:${table}`;
  await conn.execute('SELECT GET_LOCK(?, 30)', [lock]);
  try {
    let plan: MigrationPlan = { missing: [], legacy: [] };
    if (await mysqlTableExists(conn, table)) {
      const [rows] = await conn.execute<RowDataPacket[]>(
        'SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = ?', [table],
      );
      plan = planMigration(rows.map((row) => String(row.name)));
      for (const column of plan.missing) await conn.query(`ALTER TABLE ${quoted} ADD COLUMN ${column.name} ${addColumnType(column, 'mysql')}`);
    } else {
      const columns = DATA_COLUMNS.map((column) => `${column.name} ${column.mysql}`);
      await conn.query(`CREATE TABLE ${quoted} (id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, ${columns.join(', ')})
        ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`);
    }
    const existing = await indexedColumnLists(conn, table);
    for (const index of INDEXES) {
      if ([...existing].some((list) => list.startsWith(index.columns.join(',')))) continue;
      await conn.query(`CREATE INDEX ${quoteMysqlIdent(`${table}_${index.suffix}`)} ON ${quoted} (${index.columns.join(', ')})`);
    }
    await conn.query(`CREATE TABLE IF NOT EXISTS ${SCHEMA_TABLE} (table_name VARCHAR(64) NOT NULL PRIMARY KEY, version INT NOT NULL,
      migrated_at DATETIME NOT NULL) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
    await conn.execute(
      `INSERT INTO ${SCHEMA_TABLE} (table_name, version, migrated_at) VALUES (?, ?, UTC_TIMESTAMP())
       ON DUPLICATE KEY UPDATE migrated_at = IF(version <> VALUES(version), VALUES(migrated_at), migrated_at), version = VALUES(version)`,
      [table, SCHEMA_VERSION],
    );
    return plan;
  } finally {
    await conn.execute('SELECT RELEASE_LOCK(?)', [lock]);
  }
}
