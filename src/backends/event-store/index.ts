import type { BackendContext, BackendFactory } from '../../bus/backend.js';
import type { SocketAddress } from '../../bus/socket.js';
import { rootsOf } from '../shared/file-options.js';
import { confineSqlitePath } from '../../runtime/files-roots.js';
import { socketOptions } from '../shared/socket-schema.js';
import { EventStoreBackend } from './event-store-backend.js';
import { dialectFor } from './open.js';
import { EventStoreOptionsSchema } from './schema.js';
import { SqlEventStore } from './sql-event-store.js';

function create(address: SocketAddress, ctx: BackendContext): EventStoreBackend {
  const options = socketOptions(address.socket, EventStoreOptionsSchema, address.options);
  // A SQLite file is a file like any other: it must lie under files.roots.
  const url = address.transport === 'sqlite'
    ? `sqlite:${confineSqlitePath(address.address, rootsOf(ctx)).realPath}`
    : `${address.transport}:${address.address}`;
  return new EventStoreBackend(new SqlEventStore(dialectFor(url), options.table), options.keep_days, ctx);
}

const description = 'SQL event store: table herald_events, idempotent on the event id, `herald search` (docs/backends/event-store.md).';

/** `sqlite:PATH`, `postgres://…`, `postgresql://…`, `mysql://…`, `mariadb://…`, each `[?table=…&keep_days=…]`. */
export const eventStoreBackends: readonly BackendFactory[] = ['sqlite', 'postgres', 'postgresql', 'mysql', 'mariadb']
  .map((transport) => ({ transport, description, create }));
