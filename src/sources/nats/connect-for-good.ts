import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../log/logger.js';

export interface ConnectForGoodOptions {
  /** What nats.js takes: one `host:port` or URL, or several. */
  readonly servers: string | string[];
  /** The connection's name, as the server lists it. */
  readonly name: string;
  readonly logger: Logger;
  /** Who connects, for the error logged when no connection ever comes: `<what> could not connect.` */
  readonly what: string;
  /** The fields that error carries besides `err` (the servers as herald.yaml gives them). */
  readonly logFields: Readonly<Record<string, unknown>>;
  /** The loop on the connection; it must end once `signal` aborts. */
  run(connection: NatsConnection, signal: AbortSignal): Promise<void>;
}

export interface ConnectedForGood {
  /**
   * Stops the loop and closes the connection. With `finish` the loop ends first, so the batch
   * in hand is finished and acked; without, it is left to redelivery. Call it once.
   */
  close(finish: boolean): Promise<void>;
}

/**
 * Connects to NATS in the background and for good (reconnecting forever), then runs `run`
 * on the connection: a NATS that is down at start only delays the work, it never fails the
 * daemon's start. What the NATS ingest source and the scale-out writer share.
 */
export function connectForGood(options: ConnectForGoodOptions): ConnectedForGood {
  const { logger, what, logFields } = options;
  const connecting = connect({
    servers: options.servers, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true, name: options.name,
  });
  const stop = new AbortController();
  const running = connecting.then((connection) => options.run(connection, stop.signal),
    (error: unknown) => logger.error({ err: error, ...logFields }, `${what} could not connect.`));
  return {
    async close(finish) {
      stop.abort();
      if (finish) await running;
      const connection = await connecting.catch(() => undefined);
      await connection?.close();
    },
  };
}
