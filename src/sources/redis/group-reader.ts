import type { Redis } from 'ioredis';
import type { Logger } from '../../log/logger.js';
import type { BrokerIntake } from '../broker/broker-intake.js';

export interface GroupReaderSpec {
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
  /** The entry field that holds the body (the `redis:` backend's `field`, `event` by default). */
  readonly field: string;
  /** Where a group created by Herald starts: `$` (entries added from now on) or `0` (the whole stream). */
  readonly startId: string;
  readonly batch: number;
  /** Pending entries of other consumers idle this long are claimed at start (a consumer that died). */
  readonly claimIdleMs: number;
  /** How long entries handed back while the bus is full wait before they are read again. */
  readonly retryMs: number;
  readonly intake: BrokerIntake;
  readonly logger: Logger;
}

/** One stream entry: its id and its field/value list (null when the entry was trimmed away while pending). */
type Entry = readonly [id: string, fields: readonly string[] | null];

/** How long one XREADGROUP blocks for new entries (and how soon a stop is noticed). */
const BLOCK_MS = 1000;
/** Pause after a failed command (server gone, group deleted) before preparing again. */
const RETRY_PAUSE_MS = 500;
const CLAIM_COUNT = 500;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The entries of an XREADGROUP reply for one stream (null: nothing within the block time). */
function entriesOf(reply: unknown): Entry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const [, entries] = reply[0] as [string, Entry[]];
  return Array.isArray(entries) ? entries : [];
}

function bodyOf(fields: readonly string[], field: string): string | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) if (fields[i] === field) return fields[i + 1];
  return undefined;
}

/**
 * Reads a Redis stream as a member of a consumer group into the broker kit until
 * `signal` aborts. On start (and after any failure) the group is created when
 * missing, entries other consumers left pending for `claimIdleMs` are claimed
 * (XAUTOCLAIM: a consumer that died), and this consumer's own pending entries are
 * read first (ID 0: what it read but had not acknowledged before a crash or a
 * disconnect); then new entries (`>`). Each entry is acknowledged (XACK) only after
 * the kit says the bus has it; entries handed back while the bus is full stay
 * pending and are read again after `retryMs`.
 */
export class GroupReader {
  readonly #redis: Redis;
  readonly #spec: GroupReaderSpec;
  #claimed = 0;
  /** Set when the client (re)connected: ioredis resends a read cut by a reconnect, so no error shows, yet the
   * entries the lost reply carried are pending under this consumer and must be read again from history. */
  #reconnected = false;

  constructor(redis: Redis, spec: GroupReaderSpec) {
    this.#redis = redis;
    this.#spec = spec;
    redis.on('ready', () => {
      this.#reconnected = true;
    });
  }

  /** Entries taken over from other consumers (status and tests). */
  get claimed(): number {
    return this.#claimed;
  }

  async run(signal: AbortSignal): Promise<void> {
    let prepared = false;
    /** While set, this consumer's pending entries after this id are read (history); undefined: new entries. */
    let history: string | undefined = '0';
    let lastError = '';
    while (!signal.aborted) {
      try {
        if (this.#reconnected) {
          this.#reconnected = false;
          prepared = false;
        }
        if (!prepared) {
          await this.#prepare();
          prepared = true;
          history = '0';
        }
        const entries = await this.#read(history);
        if (history !== undefined && entries.length === 0) {
          history = undefined;
          continue;
        }
        if (entries.length === 0) continue;
        const retried = await this.#take(entries);
        if (retried) {
          await pause(this.#spec.retryMs);
          history = '0';
        } else if (history !== undefined) {
          history = entries[entries.length - 1][0];
        }
        lastError = '';
      } catch (error) {
        const text = (error as Error).message;
        if (text !== lastError) this.#spec.logger.warn({ err: error, stream: this.#spec.stream, group: this.#spec.group }, 'Redis stream read failed; retrying.');
        lastError = text;
        prepared = false;
        if (!signal.aborted) await pause(RETRY_PAUSE_MS);
      }
    }
  }

  async #prepare(): Promise<void> {
    const { stream, group, consumer, startId, claimIdleMs } = this.#spec;
    try {
      await this.#redis.xgroup('CREATE', stream, group, startId, 'MKSTREAM');
    } catch (error) {
      if (!String((error as Error).message).startsWith('BUSYGROUP')) throw error;
    }
    let cursor = '0-0';
    do {
      const reply = await this.#redis.xautoclaim(stream, group, consumer, claimIdleMs, cursor, 'COUNT', CLAIM_COUNT, 'JUSTID') as [string, string[]];
      cursor = reply[0];
      this.#claimed += reply[1].length;
      if (reply[1].length > 0) this.#spec.logger.info({ stream, group, consumer, claimed: reply[1].length }, 'Redis source: claimed entries left pending by another consumer.');
    } while (cursor !== '0-0');
  }

  async #read(history: string | undefined): Promise<Entry[]> {
    const { stream, group, consumer, batch } = this.#spec;
    const reply = history !== undefined
      ? await this.#redis.xreadgroup('GROUP', group, consumer, 'COUNT', batch, 'STREAMS', stream, history)
      : await this.#redis.xreadgroup('GROUP', group, consumer, 'COUNT', batch, 'BLOCK', BLOCK_MS, 'STREAMS', stream, '>');
    return entriesOf(reply);
  }

  /** Gives the entries to the kit and acknowledges what it took; true when some were handed back (the bus is full). */
  async #take(entries: readonly Entry[]): Promise<boolean> {
    const { stream, group, field, intake } = this.#spec;
    const done: string[] = [];
    const withBody: { id: string; body: string }[] = [];
    for (const [id, fields] of entries) {
      const body = fields === null ? undefined : bodyOf(fields, field);
      // A trimmed-away entry has nothing left to take; one without the field cannot become an event.
      if (fields !== null && body === undefined) intake.refuse('not_an_event', `Stream ${stream} entry ${id} has no field "${field}"`);
      if (body === undefined) done.push(id);
      else withBody.push({ id, body });
    }
    const verdicts = await intake.take(withBody.map((entry) => entry.body));
    withBody.forEach((entry, i) => {
      if (verdicts[i] === 'ack') done.push(entry.id);
    });
    if (done.length > 0) await this.#redis.xack(stream, group, ...done);
    return done.length < entries.length;
  }
}
