import { Redis } from 'ioredis';
import { WRITE_OK, type Backend, type BackendContext, type WriteResult } from '../../bus/backend.js';
import { HeraldError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import { brokerBodyEncoder } from '../shared/broker-body.js';
import type { BrokerUrl } from '../shared/broker-url.js';
import { connectedWithin } from '../shared/connected-within.js';
import type { RedisOptions } from './schema.js';

export interface RedisBackendSpec {
  readonly socket: string;
  readonly url: BrokerUrl;
  readonly key: (event: HeraldEvent) => string;
  readonly options: RedisOptions;
  readonly ctx: BackendContext;
}

/** Redis answered the command with an error (WRONGTYPE, NOPERM…): retrying the same command cannot help. */
function isReplyError(error: Error): boolean {
  return error.name === 'ReplyError';
}

/**
 * `XADD` (or `PUBLISH`) through ioredis, one pipeline per batch: one round trip.
 * An event is delivered when Redis answered its command. The offline queue is off:
 * while the server is away a write waits at most `connect_timeout_ms` for the
 * connection, then is retryable instead of parked; ioredis reconnects by itself.
 */
export class RedisBackend implements Backend {
  readonly #spec: RedisBackendSpec;
  readonly #body: (event: HeraldEvent) => string;
  #client: Redis | undefined;
  #closed = false;

  constructor(spec: RedisBackendSpec) {
    this.#spec = spec;
    this.#body = brokerBodyEncoder(spec.options.format);
  }

  /** Starts connecting; a subscribe succeeds while Redis is down. */
  async open(signal: AbortSignal): Promise<void> {
    const { url, options } = this.#spec;
    const client = new Redis({
      host: url.host, port: url.port, username: url.username, password: url.password, db: options.db,
      tls: url.tls ? {} : undefined,
      lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0,
      connectTimeout: options.connect_timeout_ms, commandTimeout: options.timeout_ms,
    });
    client.on('error', (error: Error) => {
      this.#spec.ctx.logger.debug({ err: error, socket: this.#spec.socket }, 'The Redis connection failed; reconnecting.');
    });
    // A first connect that fails is retried by ioredis's retry strategy like any lost connection.
    client.connect().catch(() => undefined);
    this.#client = client;
    signal.addEventListener('abort', () => this.#end(), { once: true });
  }

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    const client = this.#client;
    if (client === undefined || this.#closed) {
      return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} is closed`) };
    }
    if (client.status !== 'ready' && !(await connectedWithin((listener) => {
      client.once('ready', listener);
      return () => client.removeListener('ready', listener);
    }, this.#spec.options.connect_timeout_ms))) {
      return { status: 'retryable', error: new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.#spec.socket}: not connected to Redis (${client.status})`) };
    }
    const { mode, maxlen, field } = this.#spec.options;
    const pipeline = client.pipeline();
    for (const event of batch) {
      const key = this.#spec.key(event);
      if (mode === 'publish') pipeline.publish(key, this.#body(event));
      else if (maxlen > 0) pipeline.xadd(key, 'MAXLEN', '~', maxlen, '*', field, this.#body(event));
      else pipeline.xadd(key, '*', field, this.#body(event));
    }
    let results: Array<[Error | null, unknown]> | null;
    try {
      results = await pipeline.exec();
    } catch (error) {
      return { status: 'retryable', error: error instanceof Error ? error : new Error(String(error)) };
    }
    if (results === null) return { status: 'retryable', error: new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.#spec.socket}: the pipeline was not run`) };
    return this.#outcome(results);
  }

  /** Connection errors make the whole batch retryable; Redis's own error replies refuse their events only. */
  #outcome(results: ReadonlyArray<[Error | null, unknown]>): WriteResult {
    const refused: number[] = [];
    let firstRefusal: Error | undefined;
    for (let i = 0; i < results.length; i++) {
      const error = results[i][0];
      if (error === null) continue;
      if (!isReplyError(error)) return { status: 'retryable', error };
      refused.push(i);
      firstRefusal ??= error;
    }
    if (firstRefusal === undefined) return WRITE_OK;
    const error = new HeraldError('HERALD_ERR_PEER_REFUSED', `${this.#spec.socket}: Redis refused ${refused.length} event(s) (first: ${firstRefusal.message})`, { cause: firstRefusal });
    return { status: 'ok', refused: { indexes: refused, error } };
  }

  /** Every write already waited for Redis's answers. */
  async flush(): Promise<void> {}

  close(): Promise<void> {
    this.#end();
    return Promise.resolve();
  }

  /** No write is in flight when the bus closes, and a dead server must not hold the close: disconnect at once. */
  #end(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#client?.disconnect();
  }
}
