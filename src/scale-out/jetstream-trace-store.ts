import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { WRITE_OK } from '../bus/backend.js';
import { LazyNatsConnection } from '../backends/nats/lazy-connection.js';
import { HeraldError, toError } from '../errors/herald-error.js';
import { newEventId } from '../events/event-id.js';
import type { RetentionResult, StoreWriteResult, TraceRecord, TraceRow, TraceStore } from '../trace/store/types.js';
import { encodeTraceRow } from './row-codec.js';
import { ensureStream } from './stream.js';
import { natsServers, streamSubject, traceSubject, type ScaleOutConfig } from './subjects.js';

/**
 * The trace store of a collector (role `collector`): every row is published to the
 * stream as its own message, with a uid that is both its `Nats-Msg-Id` (a retried
 * batch is dropped by the server within the duplicate window) and its `row_uid` in
 * PostgreSQL (a redelivered row is dropped by the writers' insert). A batch counts as
 * written only when the stream acknowledged every row; otherwise it is `retryable`
 * and TraceIngest sends the same rows, with the same uids, again.
 *
 * Nothing here is read back: search, byCallId and count are refused (the rows are
 * in the writers' database), retention belongs to the writers.
 */
export class JetStreamTraceStore implements TraceStore {
  readonly kind = 'jetstream';
  readonly table: string;
  readonly location: string;
  readonly #config: ScaleOutConfig;
  readonly #connection: LazyNatsConnection;
  /** The uid of each row, made on its first publish and kept while the row lives (retries reuse it). */
  readonly #uids = new WeakMap<TraceRow, string>();
  #client: JetStreamClient | undefined;
  #stream: Promise<void> | undefined;
  #closed = false;

  constructor(config: ScaleOutConfig, table: string) {
    this.#config = config;
    this.table = table;
    this.location = `jetstream ${config.servers.join(',')} ${config.stream} ${traceSubject(config)}`;
    this.#connection = new LazyNatsConnection(natsServers(config), config.connect_timeout_ms);
  }

  /** Nothing up front: a collector starts while the cluster is down, and its rows wait in TraceIngest's queue. */
  async open(): Promise<void> {}

  async insertBatch(rows: readonly TraceRow[]): Promise<StoreWriteResult> {
    if (this.#closed) return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', 'Trace store is closed') };
    if (rows.length === 0) return WRITE_OK;
    let client: JetStreamClient;
    try {
      client = await this.#jetstream();
    } catch (error) {
      return { status: 'retryable', error: toError(error) };
    }
    const subject = traceSubject(this.#config);
    const timeout = this.#config.ack_timeout_ms;
    const acks = rows.map((row) => {
      const uid = this.#uidOf(row);
      return client.publish(subject, encodeTraceRow(row, uid), { msgID: uid, timeout });
    });
    const failure = (await Promise.allSettled(acks)).find((result) => result.status === 'rejected');
    if (failure === undefined) return WRITE_OK;
    this.#stream = undefined; // the stream may be gone (or never made): look again before the retry
    return { status: 'retryable', error: new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.location}: ${toError(failure.reason).message}`) };
  }

  #uidOf(row: TraceRow): string {
    let uid = this.#uids.get(row);
    if (uid === undefined) {
      uid = newEventId();
      this.#uids.set(row, uid);
    }
    return uid;
  }

  async #jetstream(): Promise<JetStreamClient> {
    const connection = await this.#connection.get();
    this.#stream ??= ensureStream(connection, this.#config).catch((error: unknown) => {
      this.#stream = undefined;
      throw error;
    });
    await this.#stream;
    this.#client ??= jetstream(connection, { timeout: this.#config.ack_timeout_ms });
    return this.#client;
  }

  search(): Promise<TraceRecord[]> {
    return Promise.reject(this.#notHere());
  }

  byCallId(): Promise<TraceRecord[]> {
    return Promise.reject(this.#notHere());
  }

  count(): Promise<number> {
    return Promise.reject(this.#notHere());
  }

  async applyRetention(): Promise<RetentionResult> {
    return { deletedRows: 0, droppedPartitions: [] };
  }

  #notHere(): HeraldError {
    return new HeraldError('HERALD_ERR_NOT_FOUND',
      `This daemon is a collector (role: collector): its trace rows go to JetStream stream ${this.#config.stream} (${streamSubject(this.#config)}); search the writers' PostgreSQL`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#connection.close();
  }
}

