import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { WRITE_OK, type Backend, type WriteResult } from '../../bus/backend.js';
import { HeraldError, toError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import type { LazyNatsConnection } from './lazy-connection.js';

export interface NatsBackendSpec {
  readonly socket: string;
  readonly connection: LazyNatsConnection;
  readonly subject: (event: HeraldEvent) => string;
  readonly encode: (event: HeraldEvent) => string;
  readonly ackTimeoutMs: number;
}

/**
 * JetStream publish with acknowledgements: an event counts as delivered only when
 * the stream acked it. Every message carries `Nats-Msg-Id` = the event id, so when
 * a batch is retried after a lost ack, JetStream drops the copies it already has
 * (within the stream's duplicate window). A dead server costs at most
 * connect/ack timeouts per attempt; the bus queues or spools, raise() never waits.
 */
export class NatsBackend implements Backend {
  readonly #spec: NatsBackendSpec;
  #client: JetStreamClient | undefined;
  #closed = false;

  constructor(spec: NatsBackendSpec) {
    this.#spec = spec;
  }

  /** Nothing up front (a subscribe succeeds while the server is down); abort is destroy. */
  async open(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => {
      this.#closed = true;
      void this.#spec.connection.close(false);
    }, { once: true });
  }

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closed) return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} is closed`) };
    let client: JetStreamClient;
    try {
      client = await this.#jetstream();
    } catch (error) {
      return { status: 'retryable', error: toError(error) };
    }
    const { subject, encode, ackTimeoutMs } = this.#spec;
    const acks = batch.map((event) => client.publish(subject(event), encode(event), { msgID: event.id, timeout: ackTimeoutMs }));
    const settled = await Promise.allSettled(acks);
    const failure = settled.find((result) => result.status === 'rejected');
    // The whole batch goes again: the acked ones are dropped by JetStream as duplicates of their msg id.
    if (failure !== undefined) return { status: 'retryable', error: new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.#spec.socket}: ${toError(failure.reason).message}`) };
    return WRITE_OK;
  }

  async #jetstream(): Promise<JetStreamClient> {
    const connection = await this.#spec.connection.get();
    this.#client ??= jetstream(connection, { timeout: this.#spec.ackTimeoutMs });
    return this.#client;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#spec.connection.close();
  }
}
