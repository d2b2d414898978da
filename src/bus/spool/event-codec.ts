import type { Catalogue } from '../../events/catalogue.js';
import { createEvent, type HeraldEvent } from '../../events/event.js';
import type { JsonValue } from '../../events/json.js';
import type { Level } from '../../events/level.js';
import type { ParamValue } from '../../events/params.js';

/*
 * One spooled event: every field the bus needs to rebuild it after a restart,
 * the id included (so a replayed event is the same event to a de-duplicating
 * consumer). int64 params keep every digit: bigints are written as tagged strings.
 */

interface SpooledEvent {
  readonly id: string;
  readonly name: string;
  readonly timeUs: number;
  readonly level: Level;
  readonly sourceId: string;
  readonly cause?: string;
  readonly snapshot?: JsonValue;
  readonly params: Readonly<Record<string, unknown>>;
  /** Params from a parent, beyond the event's own declaration (HeraldEvent.inherited). */
  readonly inherited?: readonly string[];
}

/*
 * Tags inside JSON strings: a bigint becomes "\u0000n:<digits>"; a real string that starts
 * with NUL gets one more NUL in front, so no text can pass for a bigint.
 */
const NUL = '\u0000';
const BIGINT = `${NUL}n:`;

function replacer(_: string, v: unknown): unknown {
  if (typeof v === 'bigint') return `${BIGINT}${v}`;
  return typeof v === 'string' && v.startsWith(NUL) ? `${NUL}${v}` : v;
}

function reviver(_: string, v: unknown): unknown {
  if (typeof v !== 'string' || !v.startsWith(NUL)) return v;
  return v.startsWith(BIGINT) ? BigInt(v.slice(BIGINT.length)) : v.slice(1);
}

export function encodeSpooled(event: HeraldEvent): Buffer {
  const record: SpooledEvent = {
    id: event.id, name: event.name, timeUs: event.timeUs, level: event.level, sourceId: event.sourceId,
    ...(event.cause !== undefined ? { cause: event.cause } : {}),
    ...(event.snapshot !== undefined ? { snapshot: event.snapshot } : {}),
    params: event.params,
    ...(event.inherited !== undefined ? { inherited: event.inherited } : {}),
  };
  return Buffer.from(spooledJson(record));
}

/**
 * The record as JSON. A replacer makes JSON.stringify several times slower, so it runs only when needed: when
 * a bigint made the plain call throw, or a NUL in some string (written `\u0000`) may need its tag.
 */
function spooledJson(record: SpooledEvent): string {
  try {
    const plain = JSON.stringify(record);
    if (!plain.includes('\\u0000')) return plain;
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
  return JSON.stringify(record, replacer);
}

/** The event again, or undefined when its definition is no longer in the catalogue (counted by the caller). */
export function decodeSpooled(payload: Buffer, catalogue: Catalogue): HeraldEvent | undefined {
  const text = payload.toString('utf8');
  // A reviver makes JSON.parse several times slower: only records with a tag (JSON writes NUL as \u0000) pay for it.
  const record = (text.includes('\\u0000') ? JSON.parse(text, reviver) : JSON.parse(text)) as SpooledEvent;
  const def = catalogue.get(record.name);
  if (def === undefined) return undefined;
  const event = createEvent(def, record.params as Readonly<Record<string, ParamValue | undefined>>, {
    id: record.id, timeUs: record.timeUs, level: record.level, sourceId: record.sourceId, cause: record.cause, snapshot: record.snapshot,
  }, record.sourceId);
  // The params are already flat: only the note of which came from the parent is put back.
  return record.inherited === undefined ? event : { ...event, inherited: record.inherited };
}
