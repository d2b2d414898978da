import { connect, type MqttClient } from 'mqtt';
import type { Logger } from '../../log/logger.js';
import type { BrokerIntake } from '../broker/broker-intake.js';

export interface TopicSubscriberSpec {
  /** mqtt://[user:password@]host:port (mqtts:// for TLS). */
  readonly url: string;
  /** A topic filter; `+` and `#` wildcards allowed. */
  readonly topic: string;
  readonly clientId: string;
  /** false: a persistent session, so the broker queues what is published while Herald is away. */
  readonly clean: boolean;
  readonly connectTimeoutMs: number;
  readonly reconnectMs: number;
  /** How long a message waits before it is offered to the bus again while the bus is full. */
  readonly retryMs: number;
  readonly intake: BrokerIntake;
  readonly logger: Logger;
}

/** How long a graceful close waits for the DISCONNECT to go out before it drops the connection. */
const END_GRACE_MS = 1000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Subscribes one MQTT topic filter at QoS 1 into the bus through the broker kit. A
 * message is acknowledged (PUBACK) only after the kit says the bus has it: mqtt.js
 * sends the PUBACK when `handleMessage` calls back (its documented back-pressure
 * hook; `customHandleAcks` only works on MQTT 5), and hands over the next message
 * only then, so while the bus is full the message in hand is offered again every
 * `retryMs` and the broker holds the rest. With a persistent session (clean=false,
 * fixed client id) what was not acknowledged, and what was published while Herald
 * was away, comes again on the next connection. QoS 0 publishes arrive as QoS 0 (no
 * acknowledgement exists) and go through the same path.
 */
export class TopicSubscriber {
  readonly #spec: TopicSubscriberSpec;
  #client: MqttClient | undefined;
  #inHand: Promise<void> = Promise.resolve();
  #closed = false;
  #connections = 0;

  constructor(spec: TopicSubscriberSpec) {
    this.#spec = spec;
  }

  /** How many connections were made (status and tests: a reconnect shows). */
  get connections(): number {
    return this.#connections;
  }

  /** Connects in the background; a broker that is down is retried every `reconnectMs`, never thrown at the caller. */
  start(): void {
    const { url, topic, clientId, clean, connectTimeoutMs, reconnectMs, logger } = this.#spec;
    // The session's subscription is made on every connect the broker does not remember it for (resubscribe: false).
    const client = connect(url, { clientId, clean, connectTimeout: connectTimeoutMs, reconnectPeriod: reconnectMs, resubscribe: false });
    client.handleMessage = (packet, callback) => {
      const payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
      // Not called back when the source closed first: no PUBACK, so the broker redelivers it.
      this.#inHand = this.#offer(payload).then((taken) => {
        if (taken) callback();
      });
    };
    client.on('connect', (connack) => {
      this.#connections++;
      if (connack.sessionPresent) return;
      client.subscribe(topic, { qos: 1 }, (error, granted) => {
        // MQTT 3.1.1 refuses a filter (an ACL, a bad filter) with granted QoS 128 rather than an error.
        const refused = granted?.some((grant) => grant.qos === 128) === true;
        if ((error !== null && error !== undefined) || refused) logger.warn({ err: error ?? undefined, topic }, 'MQTT source: the subscription was refused (by the broker, or an invalid filter); nothing is consumed.');
      });
    });
    client.on('error', (error) => logger.warn({ err: error, topic }, 'MQTT source: the connection failed; reconnecting.'));
    this.#client = client;
  }

  /** Offers one message until the bus takes it; false when the source closed first (the broker redelivers it). */
  async #offer(message: Buffer): Promise<boolean> {
    for (;;) {
      if (this.#closed) return false;
      const [verdict] = await this.#spec.intake.take([message]);
      if (verdict === 'ack') return true;
      await pause(this.#spec.retryMs);
    }
  }

  /** Stops: the message in hand is finished and acknowledged first, then the client says DISCONNECT (bounded). */
  async close(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    if (client === undefined) return;
    await this.#inHand;
    const ended = client.endAsync(false).then(() => true, () => false);
    if (!await Promise.race([ended, pause(END_GRACE_MS).then(() => false)])) await client.endAsync(true).catch(() => undefined);
  }

  /** Drops the connection without acknowledging anything more (a crash, for tests; the broker keeps the rest). */
  async destroy(): Promise<void> {
    this.#closed = true;
    const client = this.#client;
    this.#client = undefined;
    await client?.endAsync(true).catch(() => undefined);
  }
}
