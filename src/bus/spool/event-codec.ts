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
}

const BIGINT = '\u0000bigint:';

export function encodeSpooled(event: HeraldEvent): Buffer {
  const record: SpooledEvent = {
    id: event.id, name: event.name, timeUs: event.timeUs, level: event.level, sourceId: event.sourceId,
    ...(event.cause !== undefined ? { cause: event.cause } : {}),
    ...(event.snapshot !== undefined ? { snapshot: event.snapshot } : {}),
    params: event.params,
  };
  return Buffer.from(JSON.stringify(record, (_, v: unknown) => (typeof v === 'bigint' ? `${BIGINT}${v}` : v)));
}

/** The event again, or undefined when its definition is no longer in the catalogue (counted by the caller). */
export function decodeSpooled(payload: Buffer, catalogue: Catalogue): HeraldEvent | undefined {
  const record = JSON.parse(payload.toString('utf8'), (_, v: unknown) => (typeof v === 'string' && v.startsWith(BIGINT) ? BigInt(v.slice(BIGINT.length)) : v)) as SpooledEvent;
  const def = catalogue.get(record.name);
  if (def === undefined) return undefined;
  return createEvent(def, record.params as Readonly<Record<string, ParamValue | undefined>>, {
    id: record.id, timeUs: record.timeUs, level: record.level, sourceId: record.sourceId, cause: record.cause, snapshot: record.snapshot,
  }, record.sourceId);
}
