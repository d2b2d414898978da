import type { Consumer, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { WriteResult } from '../bus/backend.js';
import { toError } from '../errors/herald-error.js';
import { createEvent, type HeraldEvent } from '../events/event.js';
import type { Logger } from '../log/logger.js';
import { decodeBrokerBody } from '../sources/broker/decode-body.js';
import type { IngestContext } from '../sources/ingest/context.js';
import { durableConsumer } from '../sources/nats/pull-loop.js';
import type { TraceRow } from '../trace/store/types.js';
import { RateLimitedWarnings } from '../trace/tracer-warnings.js';
import { decodeTraceRow } from './row-codec.js';
import { ensureStream } from './stream.js';
import { streamSubject, traceSubject, type ScaleOutConfig } from './subjects.js';

/*
 *  JetStream ──fetch(batch)──▶ decode ──┬─ trace rows ─▶ rows.insertBatch  (ON CONFLICT DO NOTHING on row_uid) ─┐
 *  (durable consumer shared            └─ events ─────▶ events.insert     (ON CONFLICT DO NOTHING on id)     ─┴▶ ack after the commit
 *   by every writer)
 *
 *  retryable (database down): nak with a delay, the server offers them again (to any writer);
 *  failed (the database refuses data): halves until the bad message is alone, which is terminated and counted;
 *  undecodable: terminated and counted. A writer killed before its acks leaves the messages to the
 *  others after ack_wait; the inserts are idempotent, so each row and event is stored once.
 */

export interface WriterSpec {
  readonly config: ScaleOutConfig;
  readonly rows: { insertBatch(rows: readonly TraceRow[]): Promise<WriteResult> };
  readonly events: { insert(events: readonly HeraldEvent[]): Promise<WriteResult> };
  /** Types event records by the catalogue (unknown names are kept untyped). */
  readonly ctx: IngestContext;
  readonly logger: Logger;
}

/** How long the server waits before offering again a message whose write may succeed later. */
const RETRY_REDELIVERY_MS = 1000;
const PULL_EXPIRES_MS = 1000;
const RETRY_PAUSE_MS = 500;
/** Larger event records are refused (NATS's own default payload limit is 1 MiB). */
const MAX_EVENT_BYTES = 8 * 1024 * 1024;

interface Entry<T> {
  readonly message: JsMsg;
  readonly item: T;
}

type Counters = Record<'received' | 'redelivered' | 'rows_written' | 'events_written' | 'retried' | 'refused_rows' | 'refused_events', number>;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One writer's pull loop on the shared durable consumer. */
export class ScaleOutWriter {
  readonly #spec: WriterSpec;
  readonly #warnings: RateLimitedWarnings;
  readonly #counters: Counters = { received: 0, redelivered: 0, rows_written: 0, events_written: 0, retried: 0, refused_rows: 0, refused_events: 0 };

  constructor(spec: WriterSpec) {
    this.#spec = spec;
    this.#warnings = new RateLimitedWarnings(spec.logger);
  }

  /** For `herald stats` (ingest.scale_out). */
  counters(): Record<string, number> {
    return { ...this.#counters };
  }

  /** Pulls and writes until `signal` aborts; the batch in hand is finished (and acked) first. Never rejects. */
  async run(connection: NatsConnection, signal: AbortSignal): Promise<void> {
    const { config } = this.#spec;
    let consumer: Consumer | undefined;
    while (!signal.aborted) {
      try {
        if (consumer === undefined) {
          await ensureStream(connection, config);
          consumer = await durableConsumer(connection, {
            stream: config.stream, consumer: config.consumer, filterSubject: streamSubject(config), ackWaitMs: config.ack_wait_ms,
            maxAckPending: Math.max(1000, config.batch * 8),
          });
        }
        const messages: JsMsg[] = [];
        for await (const message of await consumer.fetch({ max_messages: config.batch, expires: PULL_EXPIRES_MS })) messages.push(message);
        if (messages.length > 0) await this.write(messages);
      } catch (error) {
        this.#warnings.warn(`pull:${(error as Error).message}`, { err: error, stream: config.stream, consumer: config.consumer }, 'Scale-out writer pull failed; retrying.');
        consumer = undefined;
        await pause(RETRY_PAUSE_MS);
      }
    }
  }

  /** Decodes one pulled batch, writes rows and events side by side, acks what was committed. */
  async write(messages: readonly JsMsg[]): Promise<void> {
    const rowSubject = traceSubject(this.#spec.config);
    const rows: Array<Entry<TraceRow>> = [];
    const events: Array<Entry<HeraldEvent>> = [];
    for (const message of messages) {
      this.#counters.received++;
      if (message.redelivered) this.#counters.redelivered++;
      if (message.subject === rowSubject) {
        const decoded = decodeTraceRow(message.string());
        if (decoded.ok) rows.push({ message, item: decoded.row });
        else this.#refuse(message, 'refused_rows', `trace row: ${decoded.message}`);
        continue;
      }
      const outcome = decodeBrokerBody(message.data, 'record', this.#spec.ctx, MAX_EVENT_BYTES);
      if (outcome.ok) events.push({ message, item: createEvent(outcome.event.def, outcome.event.params, outcome.event.options, 'herald') });
      else this.#refuse(message, 'refused_events', `event: ${outcome.rejection.message}`);
    }
    await Promise.all([
      this.#store(rows, (items) => this.#spec.rows.insertBatch(items), 'rows_written', 'refused_rows'),
      this.#store(events, (items) => this.#spec.events.insert(items), 'events_written', 'refused_events'),
    ]);
  }

  async #store<T>(
    entries: ReadonlyArray<Entry<T>>, insert: (items: T[]) => Promise<WriteResult>, written: keyof Counters, refused: keyof Counters,
  ): Promise<void> {
    if (entries.length === 0) return;
    const result = await insert(entries.map((entry) => entry.item)).catch((error: unknown) => ({ status: 'retryable' as const, error: toError(error) }));
    if (result.status === 'ok') {
      for (const entry of entries) entry.message.ack();
      this.#counters[written] += entries.length;
      return;
    }
    if (result.status === 'retryable') {
      for (const entry of entries) entry.message.nak(RETRY_REDELIVERY_MS);
      this.#counters.retried += entries.length;
      this.#warnings.warn(`retry:${written}`, { err: result.error, messages: entries.length }, 'Scale-out writer could not write; the messages are offered again.');
      return;
    }
    if (entries.length === 1) {
      this.#refuse(entries[0].message, refused, `database refused it: ${result.error.message}`);
      return;
    }
    const half = Math.ceil(entries.length / 2);
    await this.#store(entries.slice(0, half), insert, written, refused);
    await this.#store(entries.slice(half), insert, written, refused);
  }

  /** A message no retry can make good: terminated (never redelivered), counted, logged at most every 10 s per kind. */
  #refuse(message: JsMsg, counter: keyof Counters, why: string): void {
    message.term(); // no reason text: nats-server before 2.10 ignores a +TERM that carries one
    this.#counters[counter]++;
    this.#warnings.warn(`refuse:${counter}`, { subject: message.subject, seq: message.seq, reason: why }, 'Scale-out writer dropped a message it cannot write.');
  }
}
