import { HeraldError } from '../../errors/herald-error.js';
import type { TraceRow } from './types.js';

/**
 * The `sip_trace` columns: a superset of Kamailio's version 4 table
 * (time_us, traced_user, totag, fromip/toip) and OpenSIPS's version 5 table
 * (trace_attrs, from_/to_ proto, ip and port), so both projects' documented
 * queries run unchanged on a fresh table; plus HEP's capture_id and node, and
 * the From, To and Request-URI users collected traffic is searched by (as
 * Homer stores them).
 *
 * Types follow the two projects' own create scripts so their tools keep
 * reading the table; where they differ the wider one wins (Kamailio's 255-char
 * status, 128-char tags). time_stamp is UTC, to the second; time_us holds the
 * microseconds within that second, as Kamailio writes it.
 */
export interface ColumnSpec {
  readonly name: string;
  readonly sqlite: string;
  readonly postgres: string;
  readonly mysql: string;
  /** Longest value in characters; longer values are cut on insert and in searches alike (see fitColumn; the full text stays in msg). */
  readonly maxChars?: number;
}

const text = (name: string, chars: number): ColumnSpec => ({
  name,
  sqlite: `VARCHAR(${chars}) NOT NULL DEFAULT ''`,
  postgres: `VARCHAR(${chars}) NOT NULL DEFAULT ''`,
  mysql: `VARCHAR(${chars}) NOT NULL DEFAULT ''`,
  maxChars: chars,
});

const int = (name: string, mysql = 'INT UNSIGNED', postgres = 'INTEGER'): ColumnSpec => ({
  name,
  sqlite: 'INTEGER NOT NULL DEFAULT 0',
  postgres: `${postgres} NOT NULL DEFAULT 0`,
  mysql: `${mysql} NOT NULL DEFAULT 0`,
});

/** Every column Herald writes, in insert order (id is generated). */
export const DATA_COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'time_stamp',
    sqlite: "DATETIME NOT NULL DEFAULT '2000-01-01 00:00:01'",
    postgres: "TIMESTAMP WITHOUT TIME ZONE NOT NULL DEFAULT '2000-01-01 00:00:01'",
    mysql: "DATETIME NOT NULL DEFAULT '2000-01-01 00:00:01'",
  },
  int('time_us'),
  text('callid', 255),
  text('traced_user', 255),
  { name: 'trace_attrs', sqlite: 'VARCHAR(255) DEFAULT NULL', postgres: 'VARCHAR(255) DEFAULT NULL', mysql: 'VARCHAR(255) DEFAULT NULL', maxChars: 255 },
  // msg has no DEFAULT in MySQL (TEXT columns may not); a migration adds it as nullable there.
  { name: 'msg', sqlite: "TEXT NOT NULL DEFAULT ''", postgres: "TEXT NOT NULL DEFAULT ''", mysql: 'MEDIUMTEXT NOT NULL' },
  text('method', 50),
  // Nullable, as in OpenSIPS's table (its tracer may write NULL for requests); Kamailio's default '' kept.
  { name: 'status', sqlite: "VARCHAR(255) DEFAULT ''", postgres: "VARCHAR(255) DEFAULT ''", mysql: "VARCHAR(255) DEFAULT ''", maxChars: 255 },
  text('from_proto', 5),
  text('from_ip', 64),
  int('from_port'),
  text('to_proto', 5),
  text('to_ip', 64),
  int('to_port'),
  text('fromtag', 128),
  text('totag', 128),
  text('direction', 4),
  // HEPv3 capture ids are unsigned 32-bit: PostgreSQL's INTEGER would overflow.
  int('capture_id', 'INT UNSIGNED', 'BIGINT'),
  text('node', 128),
  // Added in schema version 2 (issue 12, points 18 and 19).
  text('from_user', 128),
  text('to_user', 128),
  text('ruri_user', 128),
  // Kamailio's `proto:ip:port` forms, derived from the from_/to_ columns.
  text('fromip', 64),
  text('toip', 64),
  // Added in schema version 3 (issue 14): the id of a row that crossed JetStream; PostgreSQL has a unique index on it.
  { name: 'row_uid', sqlite: 'VARCHAR(36) DEFAULT NULL', postgres: 'UUID DEFAULT NULL', mysql: 'VARCHAR(36) DEFAULT NULL' },
];

export const DATA_COLUMN_NAMES: readonly string[] = DATA_COLUMNS.map((c) => c.name);

/**
 * Columns of older tables Herald keeps filling when a migrated table has them,
 * so tools written for those tables keep working: OpenSER's `date`.
 */
export const LEGACY_COLUMNS: Readonly<Record<string, (row: TraceRow, stamp: string) => string>> = {
  date: (_row, stamp) => stamp,
};

/**
 * The indexes search relies on: name suffix and columns. Every column a search
 * criterion compares has one (an `--ip` or `--user` search ORs several columns,
 * which each database answers by combining single-column indexes).
 */
export const INDEXES: ReadonlyArray<{ readonly suffix: string; readonly columns: readonly string[] }> = [
  { suffix: 'callid_idx', columns: ['callid'] },
  { suffix: 'traced_user_idx', columns: ['traced_user'] },
  // time_us too, so "newest first" (time_stamp, time_us, id) is read straight off the index.
  { suffix: 'time_stamp_idx', columns: ['time_stamp', 'time_us'] },
  { suffix: 'ip_idx', columns: ['from_ip', 'to_ip'] },
  { suffix: 'to_ip_idx', columns: ['to_ip'] },
  { suffix: 'from_user_idx', columns: ['from_user'] },
  { suffix: 'to_user_idx', columns: ['to_user'] },
  { suffix: 'ruri_user_idx', columns: ['ruri_user'] },
];

/** Table names Herald accepts: a plain SQL identifier, short enough for `<table>_pYYYYMMDD` partitions. */
export const TABLE_NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const TABLE_NAME_MAX = 48;

/**
 * Checks a table name before it is ever put into SQL (identifiers cannot be
 * bound as parameters, so this check plus quoting is what keeps them safe).
 * @throws HeraldError HERALD_ERR_CONFIG
 */
export function checkTableName(name: string): string {
  if (!TABLE_NAME_PATTERN.test(name) || name.length > TABLE_NAME_MAX) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid trace table name "${name}": use letters, digits and _ (not first), at most ${TABLE_NAME_MAX} characters`);
  }
  return name;
}

/** SQLite and PostgreSQL quoting; only ever applied to checked identifiers. */
export function quoteIdent(name: string): string {
  return `"${name}"`;
}

/** MySQL quoting; only ever applied to checked identifiers. */
export function quoteMysqlIdent(name: string): string {
  return `\`${name}\``;
}
