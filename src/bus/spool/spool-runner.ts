import { rmSync } from 'node:fs';
import type { Catalogue } from '../../events/catalogue.js';
import type { HeraldEvent } from '../../events/event.js';
import type { Logger } from '../../log/logger.js';
import type { Backend } from '../backend.js';
import { DeliveryRunner, type DeliveryCounters, type DeliveryOptions, type SettledListener } from '../delivery-runner.js';
import { decodeSpooled, encodeSpooled } from './event-codec.js';
import { SegmentLog, type Position } from './segment-log.js';

/*
 * At-least-once delivery for one subscriber (delivery=at-least-once):
 *
 *   raise ─▶ enqueue (memory, bounded) ─▶ next turn: append to the spool (segments, checksums)
 *                                                        │
 *                         ack cursor ◀── settled ◀── DeliveryRunner ◀── read ≤ window records
 *
 * An event leaves the spool only when the backend settled it (delivered, or
 * refused for good); retryable failures stay in the runner and are retried. After
 * a restart, even after SIGKILL, everything after the ack cursor is sent again,
 * with its original id.
 */

export interface SpoolOptions {
  /** Unacknowledged bytes the spool may hold. Default 256 MiB. */
  readonly maxBytes: number;
  /** When full: `refuse` new events, or `drop_oldest` segment. Either way each dropped event is counted. */
  readonly whenFull: 'refuse' | 'drop_oldest';
  /** fdatasync every append. Default false (the page cache survives a killed process, not a power cut). */
  readonly fsync: boolean;
}

export const DEFAULT_SPOOL: SpoolOptions = Object.freeze({ maxBytes: 256 * 2 ** 20, whenFull: 'refuse', fsync: false });

const SEGMENT_BYTES = 8 * 2 ** 20;
/**
 * The cursor file is rewritten (write, rename) at most this often: once per settled batch it was the spool's
 * largest cost. A SIGKILL loses at most this long of acknowledgements: those events are sent again, never lost.
 */
const CURSOR_SAVE_MS = 50;

interface Fresh {
  readonly next: Position;
  readonly event: HeraldEvent;
}

function before(a: Position, b: Position): boolean {
  return a.segment < b.segment || (a.segment === b.segment && a.offset < b.offset);
}

interface Unacked {
  readonly id: string;
  /** The event's time (epoch µs): the oldest unacknowledged one gives the spool's age. */
  readonly timeUs: number;
  readonly next: Position;
  settled: boolean;
}

export interface SpoolRunnerSpec {
  readonly dir: string;
  readonly backend: Backend;
  readonly delivery: DeliveryOptions;
  readonly spool: SpoolOptions;
  readonly catalogue: Catalogue;
  readonly logger: Logger;
  readonly onSettled?: SettledListener;
  /** Told of every drop (the bus raises E_HERALD_SPOOL_DROPPED); called once per append round and reason. */
  readonly onDropped?: (dropped: number, reason: 'full' | 'write_error' | 'unknown_event', spoolBytes: number) => void;
}

export class SpoolRunner {
  readonly mode = 'at-least-once';
  readonly #spec: SpoolRunnerSpec;
  readonly #log: SegmentLog;
  readonly #runner: DeliveryRunner;
  readonly #window: number;
  #appending: HeraldEvent[] = [];
  #scheduled = false;
  /** Waiters of appended(): told at the end of the append round that takes what is queued now. */
  #appendWaiters: Array<() => void> = [];
  #unacked: Unacked[] = [];
  readonly #byId = new Map<string, Unacked>();
  #dropped = 0;
  #closed = false;
  /**
   * Events this run appended and has not read back yet, in log order, each with its record's end: the record
   * read back is this event, so it is not decoded again. At most delivery.max_queue_events of them, the
   * memory an at-most-once queue may take (an outage spools far more: those are read from disk like a replay).
   */
  #fresh: Fresh[] = [];
  #freshHead = 0;
  #cursorTimer: NodeJS.Timeout | undefined;

  /** @throws when the spool directory cannot be created or read. */
  constructor(spec: SpoolRunnerSpec) {
    this.#spec = spec;
    this.#log = new SegmentLog(spec.dir, { segmentBytes: SEGMENT_BYTES, fsync: spec.spool.fsync });
    this.#log.open();
    // Enough read ahead for several full batches, within the runner's queue bound.
    this.#window = Math.max(1, Math.min(spec.delivery.maxQueueEvents, spec.delivery.maxBatchEvents * 8));
    this.#runner = new DeliveryRunner(spec.backend, spec.delivery, (batch, outcome) => this.#settled(batch, outcome));
    // Replay what a previous run spooled and nobody acknowledged.
    this.#feed();
  }

  get counters(): DeliveryCounters {
    const inner = this.#runner.counters;
    return { ...inner, dropped: inner.dropped + this.#dropped };
  }

  /** Events waiting: not yet spooled, plus spooled and not yet acknowledged (as far as read). */
  get queueDepth(): number {
    return this.#appending.length + this.#unacked.length;
  }

  /** The memory queue in front of the spool, or the spool itself, whichever is fuller. */
  get fill(): number {
    return Math.max(this.#appending.length / this.#spec.delivery.maxQueueEvents, this.#log.bytes / this.#spec.spool.maxBytes);
  }

  get spoolBytes(): number {
    return this.#log.bytes;
  }

  /**
   * The time (epoch µs) of the oldest event not yet acknowledged: the first one read from the
   * spool (records are read in order and every unread one is newer), else the first still on
   * its way in; undefined when nothing waits.
   */
  get oldestTimeUs(): number | undefined {
    return this.#unacked[0]?.timeUs ?? this.#appending[0]?.timeUs;
  }

  enqueue(event: HeraldEvent): boolean {
    if (this.#closed || this.#appending.length >= this.#spec.delivery.maxQueueEvents) {
      this.#dropped++;
      return false;
    }
    this.#appending.push(event);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#append());
    }
    return true;
  }

  async idle(signal?: AbortSignal): Promise<void> {
    this.#append();
    while (!signal?.aborted && this.#unacked.length > 0) {
      await this.#runner.idle(signal);
      this.#feed();
    }
  }

  /** Resolves once everything enqueued so far has been appended to the spool (or refused there and counted). */
  appended(): Promise<void> {
    if (this.#appending.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#appendWaiters.push(resolve));
  }

  /** Stops delivering; what is spooled stays for the next run. */
  /** Queued events are appended to the spool first, so none is thrown away: returns 0. */
  discard(): number {
    this.#closed = true;
    this.#append();
    this.#runner.discard();
    clearTimeout(this.#cursorTimer);
    this.#cursorTimer = undefined;
    this.#saveCursor();
    this.#log.close();
    return 0;
  }

  /** The subscription is gone for good: its spool directory goes too (after discard). */
  forget(): void {
    rmSync(this.#spec.dir, { recursive: true, force: true });
  }

  #append(): void {
    this.#scheduled = false;
    const events = this.#appending;
    this.#appending = [];
    const before = this.#dropped;
    let writeErrors = 0;
    const payloads: Buffer[] = [];
    const kept: HeraldEvent[] = [];
    let bytes = 0;
    for (const event of events) {
      const payload = encodeSpooled(event);
      if (!this.#makeRoom(bytes + payload.length + 8)) continue;
      payloads.push(payload);
      kept.push(event);
      bytes += payload.length + 8;
    }
    try {
      const ends = this.#log.appendMany(payloads);
      const room = Math.min(kept.length, this.#spec.delivery.maxQueueEvents - (this.#fresh.length - this.#freshHead));
      for (let i = 0; i < room; i++) this.#fresh.push({ next: ends[i], event: kept[i] });
    } catch (error) {
      writeErrors = payloads.length;
      this.#spec.logger.error({ err: error, dir: this.#spec.dir }, 'The spool could not store events; they are dropped.');
    }
    this.#dropped += writeErrors;
    const full = this.#dropped - before - writeErrors;
    if (full > 0) this.#spec.onDropped?.(full, 'full', this.#log.bytes);
    if (writeErrors > 0) this.#spec.onDropped?.(writeErrors, 'write_error', this.#log.bytes);
    const waiters = this.#appendWaiters;
    this.#appendWaiters = [];
    for (const resolve of waiters) resolve();
    if (!this.#closed) this.#feed();
  }

  #makeRoom(bytes: number): boolean {
    const { maxBytes, whenFull } = this.#spec.spool;
    while (this.#log.bytes + bytes > maxBytes) {
      const dropped = whenFull === 'drop_oldest' ? this.#log.dropOldestSegment() : 0;
      if (dropped === 0) {
        this.#dropped++;
        this.#spec.logger.warn({ dir: this.#spec.dir, maxBytes }, 'The spool is full; a new event was refused.');
        return false;
      }
      this.#dropped += dropped;
      this.#spec.logger.warn({ dir: this.#spec.dir, dropped }, 'The spool is full; its oldest events were dropped.');
    }
    return true;
  }

  #feed(): void {
    const room = this.#window - this.#unacked.length;
    if (room <= 0) return;
    for (const record of this.#log.readNext(room)) {
      const event = this.#takeFresh(record.next) ?? decodeSpooled(record.payload, this.#spec.catalogue);
      if (event === undefined) {
        // Its event is no longer in the catalogue: nothing could deliver it.
        this.#dropped++;
        this.#spec.onDropped?.(1, 'unknown_event', this.#log.bytes);
        this.#acknowledge(record.next);
        continue;
      }
      const entry: Unacked = { id: event.id, timeUs: event.timeUs, next: record.next, settled: false };
      this.#unacked.push(entry);
      this.#byId.set(event.id, entry);
      this.#runner.enqueue(event);
    }
  }

  /** The event this run appended as the record ending at `next`, if it is still held; older held ones were dropped unread. */
  #takeFresh(next: Position): HeraldEvent | undefined {
    while (this.#freshHead < this.#fresh.length && before(this.#fresh[this.#freshHead].next, next)) this.#freshHead++;
    let event: HeraldEvent | undefined;
    const head = this.#fresh[this.#freshHead] as Fresh | undefined;
    if (head !== undefined && head.next.segment === next.segment && head.next.offset === next.offset) {
      event = head.event;
      this.#freshHead++;
    }
    if (this.#freshHead === this.#fresh.length) {
      this.#fresh = [];
      this.#freshHead = 0;
    } else if (this.#freshHead > 4096) {
      this.#fresh = this.#fresh.slice(this.#freshHead);
      this.#freshHead = 0;
    }
    return event;
  }

  /** A cursor that cannot be saved only means more to replay after a restart (duplicates, never loss). */
  #acknowledge(position: Position): void {
    try {
      this.#log.acknowledge(position);
    } catch (error) {
      this.#spec.logger.warn({ err: error, dir: this.#spec.dir }, 'The spool cursor could not be saved; those events may be sent again after a restart.');
    }
    this.#cursorTimer ??= setTimeout(() => {
      this.#cursorTimer = undefined;
      this.#saveCursor();
    }, CURSOR_SAVE_MS).unref();
  }

  #saveCursor(): void {
    try {
      this.#log.saveCursor();
    } catch (error) {
      this.#spec.logger.warn({ err: error, dir: this.#spec.dir }, 'The spool cursor could not be saved; those events may be sent again after a restart.');
    }
  }

  #settled(batch: readonly HeraldEvent[], outcome: 'delivered' | 'failed'): void {
    for (const event of batch) {
      const entry = this.#byId.get(event.id);
      if (entry !== undefined) entry.settled = true;
    }
    let last: Position | undefined;
    let settledCount = 0;
    while (settledCount < this.#unacked.length && this.#unacked[settledCount].settled) {
      last = this.#unacked[settledCount].next;
      this.#byId.delete(this.#unacked[settledCount].id);
      settledCount++;
    }
    if (last !== undefined) {
      this.#unacked = this.#unacked.slice(settledCount);
      this.#acknowledge(last);
    }
    this.#spec.onSettled?.(batch, outcome);
    if (!this.#closed) this.#feed();
  }
}
