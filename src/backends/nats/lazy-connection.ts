import { connect, type NatsConnection } from '@nats-io/transport-node';

/**
 * One NATS connection made on first use, not at subscribe: like `tcp:`, a
 * subscriber is accepted while the server is down. A failed attempt is forgotten,
 * so the next write tries again (the bus backs off between writes); once connected,
 * nats.js reconnects by itself for as long as the backend lives.
 */
export class LazyNatsConnection {
  readonly #servers: readonly string[];
  readonly #timeoutMs: number;
  #pending: Promise<NatsConnection> | undefined;
  #connection: NatsConnection | undefined;
  #closed = false;

  /** `servers`: one or more nodes of one cluster, tried in order (nats.js also learns the others from the cluster). */
  constructor(servers: string | readonly string[], timeoutMs: number) {
    this.#servers = typeof servers === 'string' ? [servers] : servers;
    this.#timeoutMs = timeoutMs;
  }

  get(): Promise<NatsConnection> {
    if (this.#closed) return Promise.reject(new Error('the connection is closed'));
    this.#pending ??= connect({
      servers: [...this.#servers], noRandomize: true, timeout: this.#timeoutMs, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, name: 'herald',
    }).then((connection) => {
      this.#connection = connection;
      // Closed for good (not a reconnect): the next write connects afresh.
      void connection.closed().then(() => {
        if (this.#connection === connection) {
          this.#connection = undefined;
          this.#pending = undefined;
        }
      });
      if (this.#closed) void connection.close();
      return connection;
    }, (error: unknown) => {
      this.#pending = undefined;
      throw error;
    });
    return this.#pending;
  }

  /** Flushes what was published and closes; idempotent. `drain` false drops at once (destroy). */
  async close(drain = true): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    this.#pending = undefined;
    if (connection === undefined || connection.isClosed()) return;
    try {
      if (drain) await connection.flush();
    } catch {
      // A connection that cannot flush is closed anyway.
    }
    await connection.close();
  }
}
