import type { EventDef } from '../../events/define.js';
import type { RaiseOptions } from '../../events/event.js';
import type { ParamValue } from '../../events/params.js';

/**
 * Why an input was refused. Every refusal is counted under its reason
 * (`herald stats`: `rejected.<reason>`), so the set is closed.
 */
export const REJECT_REASONS = [
  /** Not parseable at all: bad JSON, a broken tab-text or text frame. */
  'malformed',
  /** Parseable, but not an event: not an object, no name or type. */
  'not_an_event',
  /** The name is not in the catalogue (or not in this source's packs) and the source's policy is `unknown: reject`. */
  'unknown_event',
  /** An untyped name that is not a bare token. */
  'invalid_name',
  /** Too many distinct untyped names already (they are kept for the life of the process). */
  'untyped_limit',
  /** A param of the wrong type, a missing required param, a param the event does not declare. */
  'invalid_params',
  /** A time that is neither RFC 3339 nor Unix seconds. */
  'invalid_time',
  /** A level that is not a Herald (or OME) level. */
  'invalid_level',
  /** Over a size limit (body, line, datagram, stream object). */
  'too_large',
  /** The bus could not take it (back-pressure): HTTP 429/503, UDP drop. */
  'busy',
  /** Missing or wrong token off loopback. */
  'unauthorized',
  /** A browser request from a foreign Origin, or a bad Host. */
  'forbidden',
  /** An HTTP body in a content type the route does not take. */
  'unsupported_media_type',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** A refused input: the reason it is counted under and a message naming what was wrong and where. */
export interface Rejection {
  readonly reason: RejectReason;
  readonly message: string;
  /** 1-based line in an NDJSON body or a file. */
  readonly line?: number;
  /** Byte offset in the body, datagram, stream or file. */
  readonly offset?: number;
}

/** An input ready for the bus: a catalogue definition (or an untyped one) with checked params. */
export interface IngestEvent {
  readonly def: EventDef;
  readonly params: Readonly<Record<string, ParamValue | undefined>>;
  readonly options: RaiseOptions;
  /** False for events accepted untyped under `unknown: accept`. */
  readonly typed: boolean;
}

export type ParseOutcome =
  | { readonly ok: true; readonly event: IngestEvent }
  | { readonly ok: false; readonly rejection: Rejection };

export function rejected(reason: RejectReason, message: string, where: { line?: number; offset?: number } = {}): ParseOutcome {
  return { ok: false, rejection: { reason, message, ...where } };
}

/** The same rejection, placed at a line and/or byte offset of the enclosing input. */
export function placed(outcome: ParseOutcome, where: { line?: number; offset?: number }): ParseOutcome {
  if (outcome.ok) return outcome;
  const r = outcome.rejection;
  const at = [where.line !== undefined ? `line ${where.line}` : undefined, where.offset !== undefined ? `byte ${where.offset}` : undefined]
    .filter((part) => part !== undefined).join(', ');
  return { ok: false, rejection: { ...r, ...where, message: at === '' ? r.message : `${at}: ${r.message}` } };
}
