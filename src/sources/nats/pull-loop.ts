import { AckPolicy, jetstream, jetstreamManager, type Consumer, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Logger } from '../../log/logger.js';
import type { BrokerIntake } from '../broker/broker-intake.js';

export interface PullSpec {
  readonly stream: string;
  readonly consumer: string;
  readonly filterSubject: string;
  readonly batch: number;
  readonly ackWaitMs: number;
  readonly intake: BrokerIntake;
  readonly logger: Logger;
}

/** How long one pull waits for messages before asking again (and before a stop is noticed). */
const PULL_EXPIRES_MS = 1000;
/** Pause after a failed pull (server gone, stream missing) before trying again. */
const RETRY_PAUSE_MS = 500;
/** How long the server waits before offering again a message handed back while the bus was full. */
const BUSY_REDELIVERY_MS = 1000;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a durable consumer is made of when it has to be created. */
export type DurableSpec = Pick<PullSpec, 'stream' | 'consumer' | 'filterSubject' | 'ackWaitMs'> & {
  /** Messages delivered and not yet acked, over every puller of the consumer; the server's default (1000) when absent. */
  readonly maxAckPending?: number;
};

/** The durable consumer: looked up, or created with explicit acks when missing (shared by every puller that names it). */
export async function durableConsumer(connection: NatsConnection, spec: DurableSpec): Promise<Consumer> {
  const jsm = await jetstreamManager(connection);
  try {
    await jsm.consumers.info(spec.stream, spec.consumer);
  } catch {
    await jsm.consumers.add(spec.stream, {
      durable_name: spec.consumer, ack_policy: AckPolicy.Explicit, ack_wait: spec.ackWaitMs * 1e6,
      ...(spec.filterSubject !== '' ? { filter_subject: spec.filterSubject } : {}),
      ...(spec.maxAckPending !== undefined ? { max_ack_pending: spec.maxAckPending } : {}),
    });
  }
  return jetstream(connection).consumers.get(spec.stream, spec.consumer);
}

/**
 * Pulls batches from a JetStream durable consumer into the broker kit until `signal`
 * aborts: each message is acked only after the kit says the bus has it (and every
 * at-least-once spool), handed back with a delay while the bus is full. A failure
 * (server restart, stream missing) is logged once per kind and retried; messages not
 * acked by then are redelivered by the server after ack_wait and de-duplicated by id.
 */
export async function pullLoop(connection: NatsConnection, spec: PullSpec, signal: AbortSignal): Promise<void> {
  let consumer: Consumer | undefined;
  let lastError = '';
  while (!signal.aborted) {
    try {
      consumer ??= await durableConsumer(connection, spec);
      const messages: JsMsg[] = [];
      for await (const message of await consumer.fetch({ max_messages: spec.batch, expires: PULL_EXPIRES_MS })) messages.push(message);
      if (messages.length === 0) continue;
      const verdicts = await spec.intake.take(messages.map((message) => message.data));
      messages.forEach((message, i) => (verdicts[i] === 'ack' ? message.ack() : message.nak(BUSY_REDELIVERY_MS)));
      lastError = '';
    } catch (error) {
      const text = (error as Error).message;
      if (text !== lastError) spec.logger.warn({ err: error, stream: spec.stream, consumer: spec.consumer }, 'NATS pull failed; retrying.');
      lastError = text;
      consumer = undefined;
      await pause(RETRY_PAUSE_MS);
    }
  }
}
