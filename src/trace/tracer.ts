import { HeraldError } from '../errors/herald-error.js';
import type { Logger } from '../log/logger.js';
import type { SipSummary } from './sip-pool/sip-batch.js';
import type { DestinationCheck } from './destination-policy.js';
import { createDestination, type DestinationContext } from './destinations/create.js';
import type { TraceDestination } from './destinations/types.js';
import { TracedMessage, type Endpoint } from './message.js';
import { parseSip, type SipParseError } from './sip/index.js';
import { CallFilter, parseFilters } from './tracer-filters.js';
import { parseDestination, parseTraceId } from './tracer-ids.js';
import { describeId, type TraceIdStatus, type TracerStatus } from './tracer-status.js';
import { fromSummary, type SummaryParse } from './tracer-summary.js';
import { RateLimitedWarnings } from './tracer-warnings.js';

/*
 *  trace(message, meta[, pool summary]) ─▶ parse once ─▶ every enabled trace id ─▶ its destinations
 *                                        static ids: all traffic (or meta.id)
 *                                        trace_start ids: requests matching their filters, then the rest of those calls
 */

/** Where and how a message was seen. */
export interface TraceMeta {
  /** `in` received, `out` sent; leave out when unknown (captured traffic). */
  readonly direction?: 'in' | 'out';
  /** udp (default), tcp, tls, sctp, ws, wss. */
  readonly proto?: string;
  readonly src: Endpoint;
  readonly dst: Endpoint;
  /** One stored row per user (Kamailio's traced_user_avp with several values). */
  readonly users?: readonly string[];
  /** Stored in trace_attrs (OpenSIPS). */
  readonly attrs?: string;
  /** Sent in HEP chunk 0x0011 instead of nothing; Kamailio sends none and collectors correlate by Call-ID. */
  readonly correlationId?: string;
  /** Capture time, µs since the epoch; default now. */
  readonly timeUs?: number;
  /** HEP capture agent id; default the tracer's. */
  readonly captureId?: number;
  /** Capture agent name; default the tracer's. */
  readonly node?: string;
  /** Only these static trace ids (OpenSIPS's trace(trace_id)); default all. */
  readonly id?: string | readonly string[];
}

export type TraceOutcome =
  | { readonly ok: true; readonly destinations: number }
  | { readonly ok: false; readonly reason: 'off' | 'no_destination' | `sip_${SipParseError['reason']}`; readonly error?: SipParseError };

export interface TracerOptions extends Omit<DestinationContext, 'warnings'> {
  /** Static trace ids, `[name]uri` (see tracer-ids.ts). */
  readonly ids?: readonly string[];
  /** Global switch at start (OpenSIPS trace_on). Default true. */
  readonly enabled?: boolean;
  /** Capture id for HEP copies of messages that do not bring one. Default 1 (Kamailio, OpenSIPS). */
  readonly captureId?: number;
  readonly node?: string;
  readonly logger?: Logger;
  /** Larger messages are refused ('sip_oversized'). Default 65535. */
  readonly maxMessageBytes?: number;
  /** Runs on every trace_start destination before it is created (the daemon passes trace.allowed_destinations). */
  readonly checkRuntimeDestination?: DestinationCheck;
}

interface TraceId {
  readonly name: string;
  enabled: boolean;
  readonly filter: CallFilter | undefined;
  readonly destinations: TraceDestination[];
}

/**
 * Message tracing for Node SIP servers: `trace()` copies a SIP message to the
 * store, a SIP or HEP collector, or a file, per trace id, switchable at run
 * time. `trace()` is synchronous and never throws.
 */
export class Tracer {
  readonly #options: TracerOptions;
  readonly #context: DestinationContext;
  readonly #ids = new Map<string, TraceId>();
  #enabled: boolean;
  readonly #counters = new Map<string, number>();
  #closed = false;

  private constructor(options: TracerOptions) {
    this.#options = options;
    this.#enabled = options.enabled ?? true;
    this.#context = { ...options, warnings: new RateLimitedWarnings(options.logger) };
  }

  /**
   * Builds a tracer and opens its static destinations.
   * @throws HeraldError HERALD_ERR_CONFIG for a bad trace id; whatever a destination's open throws.
   */
  static async open(options: TracerOptions = {}): Promise<Tracer> {
    const tracer = new Tracer(options);
    const specs = (options.ids ?? []).map(parseTraceId);
    const created = specs.map((spec) => ({ name: spec.name, destination: createDestination(spec.destination, tracer.#context) }));
    const opened = await Promise.allSettled(created.map((c) => c.destination.open()));
    const failed = opened.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed !== undefined) {
      await Promise.allSettled(created.map((c) => c.destination.close()));
      throw failed.reason;
    }
    for (const { name, destination } of created) tracer.addDestination(name, destination);
    return tracer;
  }

  /** Adds an already open destination to a static id (created when new). The tracer closes it on close(). */
  addDestination(name: string, destination: TraceDestination): void {
    const id = this.#ids.get(name) ?? { name, enabled: true, filter: undefined, destinations: [] };
    if (id.filter !== undefined) throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Trace id "${name}" is a dynamic one (trace_start)`);
    id.destinations.push(destination);
    this.#ids.set(name, id);
  }

  /**
   * Traces one message. `parsed` is its SipParsePool summary when a collector
   * parsed it on a worker thread: used instead of parsing here, with the same
   * rows, filters and refusals.
   */
  trace(message: Buffer | Uint8Array | string, meta: TraceMeta, parsed?: SipSummary): TraceOutcome {
    if (!this.#enabled || this.#closed) return this.#skip('off');
    const raw = typeof message === 'string' ? Buffer.from(message, 'utf8')
      : Buffer.isBuffer(message) ? message : Buffer.from(message.buffer, message.byteOffset, message.byteLength);
    const result = this.#parse(raw, parsed);
    if (!result.ok) {
      const reason = `sip_${result.error.reason}` as const;
      this.#count(reason);
      return { ok: false, reason, error: result.error };
    }
    const traced = new TracedMessage({
      raw,
      sip: result.sip,
      direction: meta.direction ?? '',
      proto: meta.proto ?? 'udp',
      src: meta.src,
      dst: meta.dst,
      timeUs: meta.timeUs ?? Date.now() * 1000,
      users: meta.users ?? [],
      attrs: meta.attrs ?? null,
      correlationId: meta.correlationId,
      captureId: meta.captureId ?? this.#options.captureId ?? 1,
      node: meta.node ?? this.#options.node ?? '',
    });
    const sent = this.#dispatch(traced, meta.id === undefined ? undefined : typeof meta.id === 'string' ? [meta.id] : meta.id);
    if (sent === 0) return this.#skip('no_destination');
    this.#count('traced');
    return { ok: true, destinations: sent };
  }

  #parse(raw: Buffer, parsed: SipSummary | undefined): SummaryParse {
    const maxBytes = this.#options.maxMessageBytes ?? 65535;
    const fromPool = parsed === undefined || raw.byteLength > maxBytes ? undefined : fromSummary(parsed);
    if (fromPool !== undefined) return fromPool;
    const result = parseSip(raw, { maxBytes });
    return result.ok ? { ok: true, sip: result.message } : result;
  }

  /** Sends to each destination uri at most once, however many ids name it (OpenSIPS #3106). */
  #dispatch(traced: TracedMessage, only: readonly string[] | undefined): number {
    const sentTo: string[] = [];
    for (const id of this.#ids.values()) {
      if (!id.enabled) continue;
      if (id.filter === undefined ? only !== undefined && !only.includes(id.name) : !id.filter.matches(traced)) continue;
      for (const destination of id.destinations) {
        if (sentTo.includes(destination.uri)) continue;
        sentTo.push(destination.uri);
        destination.send(traced);
      }
    }
    return sentTo.length;
  }

  /**
   * Switches tracing globally, or for one id. A per-id off wins over a global on (OpenSIPS).
   * @throws HeraldError HERALD_ERR_NOT_FOUND for an unknown id.
   */
  setEnabled(on: boolean, id?: string): void {
    if (id === undefined) this.#enabled = on;
    else this.#id(id).enabled = on;
  }

  get enabled(): boolean {
    return this.#enabled;
  }

  /** Global state and every id with its destinations and counters; or one id. */
  status(id?: string): TracerStatus {
    const ids = id === undefined ? [...this.#ids.values()] : [this.#id(id)];
    return { global: this.#enabled ? 'on' : 'off', ids: ids.map(describeId) };
  }

  /**
   * trace_start: a dynamic id sending matching calls to `uri`.
   * @throws HeraldError HERALD_ERR_INVALID_PARAMS (id taken, bad filter), HERALD_ERR_CONFIG (bad uri), HERALD_ERR_PATH_NOT_ALLOWED,
   *   HERALD_ERR_NOT_ALLOWED (refused by checkRuntimeDestination)
   */
  async start(name: string, uri: string, filters: readonly string[] = []): Promise<TraceIdStatus> {
    if (this.#ids.has(name)) throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Trace id "${name}" already exists; trace_stop it first or pick another id`);
    const filter = new CallFilter(parseFilters(filters));
    const spec = parseDestination(uri);
    this.#options.checkRuntimeDestination?.(spec);
    const destination = createDestination(spec, this.#context);
    await destination.open();
    if (this.#ids.has(name)) {
      await destination.close();
      throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Trace id "${name}" already exists`);
    }
    const id: TraceId = { name, enabled: true, filter, destinations: [destination] };
    this.#ids.set(name, id);
    return describeId(id);
  }

  /**
   * trace_stop: removes a dynamic id and closes its destination.
   * @throws HeraldError HERALD_ERR_NOT_FOUND (unknown id), HERALD_ERR_INVALID_PARAMS (a static id)
   */
  async stop(name: string): Promise<void> {
    const id = this.#id(name);
    if (id.filter === undefined) throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `Trace id "${name}" comes from the configuration; switch it off with trace instead`);
    this.#ids.delete(name);
    await Promise.allSettled(id.destinations.map((d) => d.close()));
  }

  /** Messages traced and refused, by reason. */
  counters(): Record<string, number> {
    return Object.fromEntries(this.#counters);
  }

  /** Closes every destination; stores write what they accepted first. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const destinations = [...this.#ids.values()].flatMap((id) => id.destinations);
    await Promise.allSettled(destinations.map((d) => d.close()));
  }

  #id(name: string): TraceId {
    const id = this.#ids.get(name);
    if (id === undefined) throw new HeraldError('HERALD_ERR_NOT_FOUND', `No trace id "${name}" (known: ${[...this.#ids.keys()].join(', ') || 'none'})`);
    return id;
  }

  #skip(reason: 'off' | 'no_destination'): TraceOutcome {
    this.#count(reason);
    return { ok: false, reason };
  }

  #count(key: string): void {
    this.#counters.set(key, (this.#counters.get(key) ?? 0) + 1);
  }
}
