/** The trace store: a Kamailio/OpenSIPS-compatible `sip_trace` table in SQLite, PostgreSQL or MySQL/MariaDB. */
export { createTraceStore, openTraceStore, redactUrl, sqlitePathOf, DEFAULT_SQLITE_FILE } from './open.js';
export { checkTableName, DATA_COLUMNS, INDEXES, LEGACY_COLUMNS, TABLE_NAME_PATTERN } from './columns.js';
export { SCHEMA_VERSION } from './schema-plan.js';
export { DEFAULT_SEARCH_LIMIT, MAX_SEARCH_LIMIT, MAX_CALL_ROWS, RETENTION_CHUNK_ROWS } from './types.js';
export type {
  TraceRow, TraceRecord, TraceQuery, TraceStore, TraceStoreKind, TraceStoreOptions, RetentionResult, StoreWriteResult,
} from './types.js';
