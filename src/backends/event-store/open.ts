import { isAbsolute, resolve } from 'node:path';
import { HeraldError } from '../../errors/herald-error.js';
import type { SqlDialect } from './dialect.js';
import { MysqlDialect } from './mysql-dialect.js';
import { PostgresDialect } from './postgres-dialect.js';
import { SqlEventStore } from './sql-event-store.js';
import { SqliteDialect } from './sqlite-dialect.js';

/** The event store file of `herald serve`'s embedded defaults, in the data dir. */
export const DEFAULT_EVENT_STORE_FILE = 'events.db';

/** A database URL with any password masked, for messages. */
export function maskPassword(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}

/**
 * The dialect a store URL names: `sqlite:PATH` (relative to the working directory),
 * `postgres://…`/`postgresql://…`, `mysql://…`/`mariadb://…`.
 * @throws HeraldError HERALD_ERR_BAD_SOCKET for anything else.
 */
export function dialectFor(url: string): SqlDialect {
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new HeraldError('HERALD_ERR_BAD_SOCKET', 'sqlite: needs a file path, e.g. sqlite:./herald-data/events.db');
    return new SqliteDialect(isAbsolute(path) ? path : resolve(path));
  }
  if (/^postgres(ql)?:\/\//.test(url)) return new PostgresDialect(url, maskPassword(url));
  if (/^(mysql|mariadb):\/\//.test(url)) return new MysqlDialect(url.replace(/^mariadb:/, 'mysql:'), maskPassword(url));
  throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Unknown event store "${maskPassword(url)}": use sqlite:PATH, postgres://… or mysql://…`);
}

/** Opens a store (read: never creates anything); closes it again when opening fails. */
export async function openEventStore(url: string, table: string, mode: 'read' | 'write'): Promise<SqlEventStore> {
  const store = new SqlEventStore(dialectFor(url), table);
  try {
    await store.open(mode);
    return store;
  } catch (error) {
    await store.close().catch(() => undefined);
    throw error;
  }
}
