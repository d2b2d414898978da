import { connect, type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import type { Logger } from '../../log/logger.js';
import type { BrokerIntake } from '../broker/broker-intake.js';

export interface QueueConsumerSpec {
  /** amqp://user:password@host:port/vhost */
  readonly url: string;
  readonly queue: string;
  /** Unacknowledged messages the broker may hand over at once: Herald's read-ahead, and its memory bound. */
  readonly prefetch: number;
  readonly heartbeat: number;
  readonly connectTimeoutMs: number;
  /** How long a message handed back while the bus is full waits before it is returned to the broker. */
  readonly retryMs: number;
  readonly intake: BrokerIntake;
  readonly logger: Logger;
}

const RECONNECT_BASE_MS = 100;
const RECONNECT_MAX_MS = 5000;

/**
 * Consumes one RabbitMQ queue into the bus through the broker kit: messages are
 * acknowledged only after the kit says the bus has them (every at-least-once spool),
 * handed back (nack with requeue, after `retryMs`) while the bus is full, and
 * redeliveries are dropped by event id. A lost connection is re-made with backoff;
 * what was not acknowledged comes back from the broker, so nothing is lost.
 */
export class QueueConsumer {
  readonly #spec: QueueConsumerSpec;
  #model: ChannelModel | undefined;
  #pending: ConsumeMessage[] = [];
  #chain: Promise<void> = Promise.resolve();
  #scheduled = false;
  #closed = false;
  #attempt = 0;
  #timer: NodeJS.Timeout | undefined;
  #connections = 0;

  constructor(spec: QueueConsumerSpec) {
    this.#spec = spec;
  }

  /** How many connections were made (status and tests: a reconnect shows). */
  get connections(): number {
    return this.#connections;
  }

  /** Connects in the background; a broker that is down is retried, never thrown at the caller. */
  start(): void {
    void this.#connect();
  }

  async #connect(): Promise<void> {
    if (this.#closed) return;
    const { url, heartbeat, connectTimeoutMs, queue, prefetch } = this.#spec;
    let model: ChannelModel | undefined;
    try {
      const u = new URL(url);
      if (heartbeat > 0) u.searchParams.set('heartbeat', String(heartbeat));
      model = await connect(u.toString(), { timeout: connectTimeoutMs });
      // A connection error also arrives as 'close', which logs and reconnects; unheard, 'error' would crash the process.
      model.on('error', () => undefined);
      const channel = await model.createChannel();
      channel.on('error', (error: Error) => this.#spec.logger.warn({ err: error, queue }, 'RabbitMQ closed the source channel; reconnecting.'));
      await channel.prefetch(prefetch);
      await channel.consume(queue, (message) => this.#onMessage(channel, message), { noAck: false });
      if (this.#closed) {
        await model.close().catch(() => undefined);
        return;
      }
      this.#model = model;
      this.#connections++;
      this.#attempt = 0;
      model.once('close', () => {
        this.#model = undefined;
        this.#reconnect(new Error('the connection closed'));
      });
    } catch (error) {
      void model?.close().catch(() => undefined);
      this.#reconnect(error as Error);
    }
  }

  #reconnect(error: Error): void {
    if (this.#closed) return;
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** this.#attempt++);
    this.#spec.logger.warn({ err: error, queue: this.#spec.queue, retry_in_ms: delay }, 'RabbitMQ source: cannot consume; retrying.');
    this.#timer = setTimeout(() => void this.#connect(), delay);
  }

  #onMessage(channel: Channel, message: ConsumeMessage | null): void {
    if (message === null) {
      // The broker cancelled the consumer (the queue was deleted): start over.
      void channel.close().catch(() => undefined);
      return;
    }
    this.#pending.push(message);
    if (this.#scheduled) return;
    this.#scheduled = true;
    // One kit call per burst of deliveries: the persisted() wait is shared by the batch.
    setImmediate(() => {
      this.#scheduled = false;
      const batch = this.#pending;
      this.#pending = [];
      this.#chain = this.#chain.then(() => this.#take(channel, batch));
    });
  }

  async #take(channel: Channel, batch: readonly ConsumeMessage[]): Promise<void> {
    const verdicts = await this.#spec.intake.take(batch.map((message) => message.content));
    const retry: ConsumeMessage[] = [];
    try {
      batch.forEach((message, i) => {
        if (verdicts[i] === 'ack') channel.ack(message);
        else retry.push(message);
      });
    } catch {
      // The channel closed under us: the broker redelivers what was not acknowledged, the kit drops repeats.
      return;
    }
    if (retry.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, this.#spec.retryMs));
    try {
      for (const message of retry) channel.nack(message, false, true);
    } catch {
      // As above: unacknowledged messages return to the queue when the channel goes.
    }
  }

  /** Stops consuming: what was taken is acknowledged first (bounded by the caller's deadline), then the connection closes. */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await new Promise((resolve) => setImmediate(resolve));
    await this.#chain;
    const model = this.#model;
    this.#model = undefined;
    await model?.close().catch(() => undefined);
  }
}
