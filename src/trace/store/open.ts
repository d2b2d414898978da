import { isAbsolute, join, resolve } from 'node:path';
import { HeraldError } from '../../errors/herald-error.js';
import { checkTableName } from './columns.js';
import { MysqlTraceStore } from './mysql-store.js';
import { PostgresTraceStore } from './postgres-store.js';
import { SqliteTraceStore } from './sqlite-store.js';
import { SqliteThreadStore } from './sqlite-thread-store.js';
import type { TraceStore, TraceStoreOptions } from './types.js';

/** The file `sqlite:` means: `trace.db` in the data dir. */
export const DEFAULT_SQLITE_FILE = 'trace.db';

/** A database URL with any password masked, for logs and announcements. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** The SQLite file a `sqlite:` URL names: `sqlite:` → `<dataDir>/trace.db`, `sqlite:PATH`, `sqlite:///abs/path`. */
export function sqlitePathOf(url: string, dataDir: string | undefined): string {
  let path = url.slice('sqlite:'.length);
  if (path.startsWith('///')) path = path.slice(2);
  if (path === '') {
    if (dataDir === undefined) throw new HeraldError('HERALD_ERR_CONFIG', 'Trace store "sqlite:" needs a data dir; give sqlite:PATH instead');
    return join(resolve(dataDir), DEFAULT_SQLITE_FILE);
  }
  return isAbsolute(path) ? path : resolve(path);
}

/**
 * Builds the store a URL names (not yet open): `sqlite:[PATH]`, `postgres://…`
 * (or `postgresql://`), `mysql://…` (or `mariadb://`).
 * @throws HeraldError HERALD_ERR_CONFIG for an unknown scheme or a bad table name.
 */
export function createTraceStore(url: string, options: TraceStoreOptions = {}): TraceStore {
  const table = checkTableName(options.table ?? 'sip_trace');
  const mode = options.mode ?? 'write';
  if (url.startsWith('sqlite:')) {
    const path = sqlitePathOf(url, options.dataDir);
    return mode === 'write' && options.writerThread === true ? new SqliteThreadStore({ path, table, ...(options.writerNice !== undefined ? { nice: options.writerNice } : {}) }) : new SqliteTraceStore({ path, table, mode });
  }
  const location = redactUrl(url);
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresTraceStore({ url, table, mode, location });
  if (/^(mysql|mariadb):\/\//.test(url)) return new MysqlTraceStore({ url, table, mode, location });
  throw new HeraldError('HERALD_ERR_CONFIG', `Unknown trace store "${location}": use sqlite:[PATH], postgres://… or mysql://…`);
}

/** Creates and opens a store; closes it again if opening fails. */
export async function openTraceStore(url: string, options: TraceStoreOptions = {}): Promise<TraceStore> {
  const store = createTraceStore(url, options);
  try {
    await store.open();
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
