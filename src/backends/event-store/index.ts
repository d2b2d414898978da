import type { BackendContext, BackendFactory, NetworkDestination } from '../../bus/backend.js';
import type { SocketAddress } from '../../bus/socket.js';
import { HeraldError } from '../../errors/herald-error.js';
import { urlDestination } from '../shared/destinations.js';
import { MAX_PARTITIONED_TABLE_CHARS } from '../shared/pg-day-partitions.js';
import { rootsOf } from '../shared/file-options.js';
import { confineSqlitePath } from '../../runtime/files-roots.js';
import { socketOptions } from '../shared/socket-schema.js';
import { EventStoreBackend } from './event-store-backend.js';
import { dialectFor, maskPassword } from './open.js';
import { EventStoreOptionsSchema } from './schema.js';
import { SqlEventStore } from './sql-event-store.js';

function create(address: SocketAddress, ctx: BackendContext): EventStoreBackend {
  const options = socketOptions(address.socket, EventStoreOptionsSchema, address.options);
  if (/^postgres/.test(address.transport) && options.table.length > MAX_PARTITIONED_TABLE_CHARS) {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${maskPassword(address.socket)}: option "table" is ${options.table.length} characters; PostgreSQL takes at most ${MAX_PARTITIONED_TABLE_CHARS} (its day partitions add _pYYYYMMDD)`);
  }
  // A SQLite file is a file like any other: it must lie under files.roots.
  const url = address.transport === 'sqlite'
    ? `sqlite:${confineSqlitePath(address.address, rootsOf(ctx)).realPath}`
    : `${address.transport}:${address.address}`;
  return new EventStoreBackend(new SqlEventStore(dialectFor(url), options.table), options.keep_days, ctx);
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { postgres: 5432, postgresql: 5432, mysql: 3306, mariadb: 3306 };

/** The database server a store socket connects to; a SQLite file touches no host. */
function destinations(address: SocketAddress): readonly NetworkDestination[] {
  if (address.transport === 'sqlite') return [];
  let url: URL;
  try {
    url = new URL(`${address.transport}:${address.address}`);
  } catch {
    throw new HeraldError('HERALD_ERR_BAD_SOCKET', `Socket ${maskPassword(address.socket)}: not a database URL (e.g. postgres://user@127.0.0.1:5432/herald)`);
  }
  return [urlDestination(url, DEFAULT_PORTS[address.transport])];
}

const description = 'SQL event store: table herald_events, idempotent on the event id, `herald search` (docs/backends/event-store.md).';

/** `sqlite:PATH`, `postgres://…`, `postgresql://…`, `mysql://…`, `mariadb://…`, each `[?table=…&keep_days=…]`. */
export const eventStoreBackends: readonly BackendFactory[] = ['sqlite', 'postgres', 'postgresql', 'mysql', 'mariadb']
  .map((transport) => ({ transport, description, destinations, create }));
