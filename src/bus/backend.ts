import type { Catalogue } from '../events/catalogue.js';
import type { EventDef } from '../events/define.js';
import type { HeraldEvent, RaiseOptions } from '../events/event.js';
import type { ParamValue } from '../events/params.js';
import type { Logger } from '../log/logger.js';
import type { SocketAddress } from './socket.js';

/**
 * Events of an otherwise written batch that the backend refused for good, by
 * index into the batch (a datagram too large, a peer's error reply): counted
 * as failed, the rest as delivered.
 */
export interface RefusedEvents {
  readonly indexes: readonly number[];
  readonly error: Error;
}

/**
 * What a write returns. Backends never throw from `write`: they say whether the
 * bus should retry the same batch later or give it up.
 */
export type WriteResult =
  | { readonly status: 'ok'; readonly refused?: RefusedEvents }
  | { readonly status: 'retryable'; readonly error: Error; readonly retryAfterMs?: number }
  | { readonly status: 'failed'; readonly error: Error };

export const WRITE_OK: WriteResult = Object.freeze({ status: 'ok' });

/**
 * A backend (sink) is dumb: it opens, writes a batch, flushes and closes. Queues,
 * batching, retries, timeouts and drop counting belong to the bus. See docs/backends.md.
 */
export interface Backend {
  /** Acquire the file, socket or pool. Rejects with a clear error if it cannot. */
  open(signal: AbortSignal): Promise<void>;
  /** Never throws, never mutates `batch`. At most one call is in flight per subscriber. */
  write(batch: readonly HeraldEvent[]): Promise<WriteResult>;
  /** Push buffered data to its destination. */
  flush(): Promise<void>;
  /** Graceful and idempotent: flushes, then releases resources. */
  close(): Promise<void>;
}

/** What the bus gives every backend it creates. */
export interface BackendContext {
  readonly catalogue: Catalogue;
  readonly logger: Logger;
  /** Directories file backends may write under (real paths). */
  readonly fileRoots: readonly string[];
  readonly dataDir: string;
  /**
   * Builds (does not open) the backend for another socket: `virtual:` sockets use it for
   * their children. Throws as a factory's create does.
   */
  createBackend?(socket: string): Backend;
  /** Lets a backend raise its own events (e.g. E_FLATSTORE_ROTATION). */
  raise(def: EventDef, params: Readonly<Record<string, ParamValue | undefined>>, options?: RaiseOptions): void;
}

/**
 * A host and port a backend connects or sends to: `host` as the socket names it, an IP
 * literal (IPv6 without brackets) or a name, never resolved.
 */
export interface NetworkDestination {
  readonly host: string;
  readonly port: number;
}

/** What `BackendFactory.destinations` may ask of the bus. */
export interface DestinationContext {
  /** The destinations of another socket (`virtual:` children), through its own factory. */
  destinationsOf(socket: string): readonly NetworkDestination[];
}

/**
 * Checks where a run-time subscription would connect before anything is created; throws
 * HeraldError HERALD_ERR_NOT_ALLOWED to refuse (serve: delivery.allowed_destinations).
 */
export type DestinationCheck = (socket: string, destinations: readonly NetworkDestination[]) => void;

/** Creates backends for one transport (`jsonl`, `flatstore`, `memory`, …). */
export interface BackendFactory {
  readonly transport: string;
  readonly description: string;
  /**
   * Every host:port a socket of this transport makes Herald connect or send to, read from
   * the socket alone: nothing is resolved, opened or created. The bus hands it to its
   * DestinationCheck before a run-time (MI, CLI) subscription exists. Return [] for a
   * transport that touches no host (files, memory). A factory without it cannot be
   * subscribed at run time while a check is in force: only the config may subscribe it.
   * @throws HeraldError HERALD_ERR_BAD_SOCKET as create does.
   */
  destinations?(address: SocketAddress, ctx: DestinationContext): readonly NetworkDestination[];
  /**
   * Validates the socket and builds a backend. Throws HeraldError for bad
   * sockets or refused paths, so a subscribe fails loudly and nothing is created.
   */
  create(address: SocketAddress, ctx: BackendContext): Backend;
}
