import { randomBytes } from 'node:crypto';
import type { TestContext } from 'node:test';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { TraceRow } from '../../src/trace/store/index.js';
import { requireService } from '../../src/testing/services.js';

export const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const MYSQL_URL = 'mysql://root@127.0.0.1:3306/test';

/** A table name no other run uses. */
export function uniqueTable(prefix = 'herald_t'): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

/** Values operators have been bitten by: SQL in Call-IDs, quotes, backslashes, NUL, non-ASCII. */
export const HOSTILE = [
  "'; DROP TABLE sip_trace;--",
  'a"b\'c`d',
  'back\\slash\\\\',
  'nul\u0000byte',
  'unicode ☎ 電話 𝄞 é',
  '%_ like wildcards %',
  '$1 $$ ? :name',
  '  padded  ',
] as const;

let sequence = 0;

/** A row with sensible defaults; override what the test is about. */
export function makeRow(overrides: Partial<TraceRow> = {}): TraceRow {
  sequence++;
  return {
    timeUs: Date.UTC(2026, 10, 22, 5, 21, 46) * 1000 + sequence,
    callid: `call-${sequence}@10.0.0.1`,
    tracedUser: '',
    traceAttrs: null,
    msg: `INVITE sip:bob@example.com SIP/2.0\r\nCall-ID: call-${sequence}\r\n\r\n`,
    method: 'INVITE',
    status: '',
    fromProto: 'udp',
    fromIp: '10.0.0.1',
    fromPort: 5060,
    toProto: 'udp',
    toIp: '10.0.0.2',
    toPort: 5070,
    fromtag: 'ft',
    totag: '',
    direction: 'in',
    captureId: 2001,
    node: '',
    fromUser: 'alice',
    toUser: 'bob',
    ruriUser: 'bob',
    ...overrides,
  };
}

export interface Backend {
  readonly name: 'sqlite' | 'postgres' | 'mysql';
  /** Probes the service (skips the test when absent) and gives the URL. */
  available(t: TestContext, dir: string): Promise<string | undefined>;
  /** Runs raw SQL against the backend (setup of old tables, cleanup). */
  exec(url: string, sql: string): Promise<void>;
  /** Runs one raw SELECT and gives its rows (column names as written in the SQL). */
  rows(url: string, sql: string): Promise<Array<Record<string, unknown>>>;
  /** Drops a trace table and its version row. */
  drop(url: string, table: string): Promise<void>;
}

export async function pgExec(sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

export async function mysqlExec(sql: string): Promise<unknown> {
  const conn = await mysql.createConnection({ uri: MYSQL_URL, multipleStatements: true });
  try {
    return (await conn.query(sql))[0];
  } finally {
    await conn.end();
  }
}

export const POSTGRES: Backend = {
  name: 'postgres',
  available: async (t) => ((await requireService(t, 'PostgreSQL', '127.0.0.1', 5432)) ? PG_URL : undefined),
  exec: async (_url, sql) => void (await pgExec(sql)),
  rows: async (_url, sql) => (await pgExec(sql)) as Array<Record<string, unknown>>,
  drop: async (_url, table) => {
    await pgExec(`DROP TABLE IF EXISTS "${table}" CASCADE`);
    await pgExec(`DELETE FROM herald_schema WHERE table_name = '${table}'`).catch(() => undefined);
  },
};

export const MYSQL: Backend = {
  name: 'mysql',
  available: async (t) => ((await requireService(t, 'MariaDB', '127.0.0.1', 3306)) ? MYSQL_URL : undefined),
  exec: async (_url, sql) => void (await mysqlExec(sql)),
  rows: async (_url, sql) => (await mysqlExec(sql)) as Array<Record<string, unknown>>,
  drop: async (_url, table) => {
    await mysqlExec(`DROP TABLE IF EXISTS \`${table}\``);
    await mysqlExec(`DELETE FROM herald_schema WHERE table_name = '${table}'`).catch(() => undefined);
  },
};

function sqlitePath(url: string): string {
  return url.slice('sqlite:'.length);
}

export const SQLITE: Backend = {
  name: 'sqlite',
  available: async (_t, dir) => `sqlite:${join(dir, 'trace.db')}`,
  exec: async (url, sql) => {
    const db = new Database(sqlitePath(url));
    try {
      db.exec(sql);
    } finally {
      db.close();
    }
  },
  rows: async (url, sql) => {
    const db = new Database(sqlitePath(url), { readonly: true });
    try {
      return db.prepare(sql).all() as Array<Record<string, unknown>>;
    } finally {
      db.close();
    }
  },
  drop: async () => undefined,
};

export const BACKENDS: readonly Backend[] = [SQLITE, POSTGRES, MYSQL];
