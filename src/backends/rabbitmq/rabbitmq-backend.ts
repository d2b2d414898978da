import { connect, type ChannelModel, type ConfirmChannel } from 'amqplib';
import { WRITE_OK, type Backend, type BackendContext, type WriteResult } from '../../bus/backend.js';
import { HeraldError, toError } from '../../errors/herald-error.js';
import type { HeraldEvent } from '../../events/event.js';
import { brokerBodyEncoder } from '../shared/broker-body.js';
import type { RabbitmqAddress } from './address.js';
import type { RabbitmqOptions } from './schema.js';

export interface RabbitmqBackendSpec {
  readonly socket: string;
  readonly address: RabbitmqAddress;
  readonly options: RabbitmqOptions;
  readonly ctx: BackendContext;
}

/** One connection and its confirm channel; dropped as a whole when either breaks. */
interface Link {
  readonly model: ChannelModel;
  readonly channel: ConfirmChannel;
}

/**
 * OpenSIPS event_rabbitmq with publisher confirms: a batch counts as delivered only
 * when the broker confirmed every message of it. Anything else (no connection, a
 * connection cut, a nack, confirms late past `timeout_ms`) is a retryable result: the
 * bus and its spool retry with backoff, raise() never waits on the broker (OpenSIPS
 * #1836), and nothing is lost on a broker restart (#535). A retried batch may reach
 * the queue twice; the message id is the event id, so consumers de-duplicate.
 */
export class RabbitmqBackend implements Backend {
  readonly #spec: RabbitmqBackendSpec;
  readonly #encode: (event: HeraldEvent) => string;
  #link: Promise<Link> | undefined;
  #closed = false;

  constructor(spec: RabbitmqBackendSpec) {
    this.#spec = spec;
    this.#encode = brokerBodyEncoder(spec.options.format);
  }

  /** Like OpenSIPS, a subscribe succeeds while the broker is down; the signal aborting is destroy. */
  async open(signal: AbortSignal): Promise<void> {
    signal.addEventListener('abort', () => {
      this.#closed = true;
      this.#drop();
    }, { once: true });
  }

  async write(batch: readonly HeraldEvent[]): Promise<WriteResult> {
    if (this.#closed) return { status: 'failed', error: new HeraldError('HERALD_ERR_BACKEND_CLOSED', `${this.#spec.socket} is closed`) };
    const link = this.#link ?? this.#connect();
    let channel: ConfirmChannel;
    try {
      channel = (await link).channel;
    } catch (error) {
      return { status: 'retryable', error: this.#named(error, 'cannot connect') };
    }
    const error = await this.#publish(channel, batch);
    if (error === undefined) return WRITE_OK;
    // A channel that lost or refused a confirm is not trusted with the next batch.
    this.#drop(link);
    return { status: 'retryable', error };
  }

  /** Resolves with undefined once the broker confirmed every message, or with what went wrong. */
  #publish(channel: ConfirmChannel, batch: readonly HeraldEvent[]): Promise<Error | undefined> {
    const { exchange, persistent, timeout_ms: timeoutMs } = this.#spec.options;
    const { routingKey } = this.#spec.address;
    const contentType = 'application/json';
    return new Promise((resolve) => {
      let pending = batch.length;
      let settled = false;
      const settle = (error: Error | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(error);
      };
      const timer = setTimeout(() => {
        settle(new HeraldError('HERALD_ERR_WRITE_TIMEOUT', `${this.#spec.socket}: ${pending} of ${batch.length} publisher confirm(s) not back after ${timeoutMs} ms`));
      }, timeoutMs);
      const confirmed = (error: unknown) => {
        if (error !== null && error !== undefined) settle(this.#named(error, 'the broker did not confirm a message'));
        else if (--pending === 0) settle(undefined);
      };
      try {
        for (const event of batch) {
          const options = { persistent, messageId: event.id, contentType, timestamp: Math.floor(event.timeUs / 1_000_000) };
          channel.publish(exchange, routingKey, Buffer.from(this.#encode(event)), options, confirmed);
        }
      } catch (error) {
        // amqplib throws when the channel closed under us: the same as a cut connection.
        settle(this.#named(error, 'cannot publish'));
      }
      if (batch.length === 0) settle(undefined);
    });
  }

  #connect(): Promise<Link> {
    const { address, options } = this.#spec;
    const link = (async () => {
      const model = await connect({
        protocol: 'amqp', hostname: address.host, port: address.port, username: address.username, password: address.password,
        vhost: options.vhost, heartbeat: options.heartbeat,
      }, { timeout: options.connect_timeout_ms });
      // Errors also arrive as 'close'; without a listener an 'error' would crash the process.
      model.on('error', () => undefined);
      model.on('close', () => this.#forget(link));
      let channel: ConfirmChannel;
      try {
        channel = await model.createConfirmChannel();
      } catch (error) {
        void model.close().catch(() => undefined);
        throw error;
      }
      channel.on('error', (error: Error) => this.#spec.ctx.logger.warn({ err: error, socket: this.#spec.socket }, 'RabbitMQ closed the channel; reconnecting on the next write.'));
      channel.on('close', () => this.#drop(link));
      return { model, channel };
    })();
    this.#link = link;
    link.catch(() => this.#forget(link));
    return link;
  }

  /** Forgets `link` if it is still the current one, so the next write connects anew. */
  #forget(link: Promise<Link>): void {
    if (this.#link === link) this.#link = undefined;
  }

  /** Closes `link` (by default the current one) without waiting: a dead broker must not hold anything. */
  #drop(link: Promise<Link> | undefined = this.#link): void {
    if (link === undefined) return;
    this.#forget(link);
    link.then((opened) => opened.model.close(), () => undefined).catch(() => undefined);
  }

  #named(error: unknown, what: string): Error {
    const cause = toError(error);
    return new HeraldError('HERALD_ERR_PEER_UNAVAILABLE', `${this.#spec.socket}: ${what} (${cause.message})`, { cause });
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const link = this.#link;
    this.#link = undefined;
    if (link === undefined) return;
    // Graceful when the broker answers; a silent one is given connect_timeout_ms, then let go.
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<void>((resolve) => { timer = setTimeout(resolve, this.#spec.options.connect_timeout_ms); });
    const closing = link.then((opened) => opened.model.close()).catch(() => undefined);
    await Promise.race([closing, giveUp]);
    clearTimeout(timer);
  }
}
