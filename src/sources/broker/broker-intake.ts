import type { Bus } from '../../bus/bus.js';
import type { IngestContext } from '../ingest/context.js';
import type { Intake } from '../ingest/intake.js';
import { rejected, type RejectReason } from '../ingest/outcome.js';
import { decodeBrokerBody, type BrokerBodyFormat } from './decode-body.js';
import { RecentIds } from './recent-ids.js';

/**
 * What a broker source does with one message once Herald has looked at it:
 * `ack` (taken, or a duplicate, or refused for good and counted: redelivering a bad
 * body cannot make it good) or `retry` (the bus is full: the broker keeps it and
 * offers it again later, so back-pressure reaches the broker, not memory).
 */
export type BrokerVerdict = 'ack' | 'retry';

export interface BrokerIntakeOptions {
  readonly format: BrokerBodyFormat;
  readonly maxMessageBytes: number;
  /** Redeliveries are recognised by event id among the last `dedupIds` ids seen within `dedupWindowMs`. */
  readonly dedupIds: number;
  readonly dedupWindowMs: number;
}

/**
 * The consumer kit every broker source shares (NATS JetStream, RabbitMQ, MQTT,
 * Redis streams): decode, type by the catalogue, drop redeliveries, raise, and only
 * then say ack: after every at-least-once subscriber has the events in its spool
 * (Bus.persisted), so an acknowledged message survives a SIGKILL of Herald.
 *
 *   const verdicts = await kit.take(bodies);   // one verdict per body, same order
 *   bodies.forEach((m, i) => verdicts[i] === 'ack' ? m.ack() : m.nak());
 */
export class BrokerIntake {
  readonly #bus: Bus;
  readonly #intake: Intake;
  readonly #ctx: IngestContext;
  readonly #options: BrokerIntakeOptions;
  readonly #recent: RecentIds;
  #duplicates = 0;
  #retried = 0;

  constructor(bus: Bus, intake: Intake, ctx: IngestContext, options: BrokerIntakeOptions) {
    this.#bus = bus;
    this.#intake = intake;
    this.#ctx = ctx;
    this.#options = options;
    this.#recent = new RecentIds({ maxIds: options.dedupIds, maxAgeMs: options.dedupWindowMs });
  }

  /** For `herald stats` next to the intake's accepted/rejected/bytes: redeliveries dropped, messages handed back while busy. */
  counters(): Record<string, number> {
    return { duplicates: this.#duplicates, retried_busy: this.#retried };
  }

  /** Takes a batch of message bodies; resolves (never rejects) with one verdict per body once the accepted ones are safe. */
  async take(bodies: ReadonlyArray<Uint8Array | string>): Promise<BrokerVerdict[]> {
    const verdicts: BrokerVerdict[] = [];
    for (const body of bodies) verdicts.push(this.#takeOne(body));
    if (verdicts.includes('ack')) await this.#bus.persisted();
    return verdicts;
  }

  /** Counts a message that has no body to decode (e.g. a Redis stream entry without the configured field) under `reason`. */
  refuse(reason: RejectReason, message: string): void {
    this.#intake.take(rejected(reason, message));
  }

  #takeOne(body: Uint8Array | string): BrokerVerdict {
    if (this.#intake.busy()) {
      this.#retried++;
      return 'retry';
    }
    this.#intake.stats.received(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    const outcome = decodeBrokerBody(body, this.#options.format, this.#ctx, this.#options.maxMessageBytes);
    const id = outcome.ok ? outcome.event.options.id : undefined;
    if (id !== undefined && this.#recent.check(id)) {
      this.#duplicates++;
      return 'ack';
    }
    this.#intake.take(outcome);
    return 'ack';
  }
}
