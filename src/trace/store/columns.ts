import { HeraldError } from '../../errors/herald-error.js';
import type { TraceRow } from './types.js';

/**
 * The `sip_trace` columns: a superset of Kamailio's version 4 table
 * (time_us, traced_user, totag) and OpenSIPS's version 5 table (trace_attrs,
 * from_/to_ proto, ip and port), plus HEP's capture_id and node.
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
  /** Longest value in characters; longer values are cut at ingest (the full text stays in msg). */
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
  text('status', 255),
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
];

export const DATA_COLUMN_NAMES: readonly string[] = DATA_COLUMNS.map((c) => c.name);

/**
 * Columns of older tables Herald keeps filling when a migrated table has them,
 * so tools written for those tables keep working: Kamailio's and OpenSER's
 * `fromip`/`toip` (`proto:ip:port`) and OpenSER's `date`.
 */
export const LEGACY_COLUMNS: Readonly<Record<string, (row: TraceRow, stamp: string) => string>> = {
  fromip: (row) => `${row.fromProto}:${row.fromIp}:${row.fromPort}`,
  toip: (row) => `${row.toProto}:${row.toIp}:${row.toPort}`,
  date: (_row, stamp) => stamp,
};

/** The four indexes search relies on: name suffix and columns. */
export const INDEXES: ReadonlyArray<{ readonly suffix: string; readonly columns: readonly string[] }> = [
  { suffix: 'callid_idx', columns: ['callid'] },
  { suffix: 'traced_user_idx', columns: ['traced_user'] },
  // time_us too, so "newest first" (time_stamp, time_us, id) is read straight off the index.
  { suffix: 'time_stamp_idx', columns: ['time_stamp', 'time_us'] },
  { suffix: 'ip_idx', columns: ['from_ip', 'to_ip'] },
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
