import type { EventDef } from '../../events/define.js';
import type { RaiseOptions } from '../../events/event.js';
import { isEventId } from '../../events/event-id.js';
import type { JsonValue } from '../../events/json.js';
import { parseLevel, type Level } from '../../events/level.js';
import { lookupDef, type IngestContext } from '../ingest/context.js';
import { isPlainObject } from '../ingest/json-text.js';
import { rejected, type ParseOutcome } from '../ingest/outcome.js';
import { resolveEvent, typedOutcome, type EventInput } from '../ingest/resolve.js';
import { parseEventTime } from '../ingest/time.js';
import { paramsFromOrigin } from './origin-params.js';

/*
 * Herald's event record (design.md; the jsonl: line), which is also the line of
 * OvenMediaEngine's events.log:
 *   {["id":…,]"time":…,"level":…,"category":…,"type":…,"sourceId":…,"summary":…,["cause":…,]["snapshot":…,]["params":{…}]}
 * Only `type` is required. Without `params` (an OME line), the params come from
 * `sourceId` and `summary` (see origin-params.ts).
 */

/** OME writes levels capitalised (Info, Warning); any spelling of the one vocabulary is taken (events/level.ts). */
function levelOf(value: unknown): Level | undefined {
  return parseLevel(value);
}

type Options = { readonly ok: true; readonly options: RaiseOptions } | { readonly ok: false; readonly outcome: ParseOutcome };

function recordOptions(record: Record<string, unknown>): Options {
  const { time, level, sourceId, summary, cause, snapshot, id } = record;
  // An event that already has an id (from another Herald, a broker) keeps it, so consumers can de-duplicate.
  if (id !== undefined && (typeof id !== 'string' || !isEventId(id))) return { ok: false, outcome: rejected('not_an_event', '"id" must be an event id (a lowercase UUIDv7)') };
  const timeUs = time === undefined ? undefined : parseEventTime(time);
  if (time !== undefined && timeUs === undefined) return { ok: false, outcome: rejected('invalid_time', `"time" must be RFC 3339 or Unix seconds, received ${JSON.stringify(time).slice(0, 60)}`) };
  const parsedLevel = level === undefined ? undefined : levelOf(level);
  if (level !== undefined && parsedLevel === undefined) return { ok: false, outcome: rejected('invalid_level', `"level" ${JSON.stringify(level).slice(0, 40)} is not one of trace, debug, info, notice, warning, error, critical`) };
  for (const [key, value] of [['sourceId', sourceId], ['summary', summary], ['cause', cause]] as const) {
    if (value !== undefined && typeof value !== 'string') return { ok: false, outcome: rejected('not_an_event', `"${key}" must be a string`) };
  }
  return {
    ok: true,
    options: {
      timeUs,
      id: id as string | undefined,
      level: parsedLevel,
      sourceId: sourceId as string | undefined,
      summary: summary as string | undefined,
      cause: cause as string | undefined,
      snapshot: snapshot === undefined ? undefined : (snapshot as JsonValue),
    },
  };
}

/** A catalogue event from a record without `params`: names from sourceId, values from the summary. */
function derivedOutcome(def: EventDef, input: EventInput, record: Record<string, unknown>): ParseOutcome {
  const fields = paramsFromOrigin(def, record.sourceId, record.summary);
  const outcome = typedOutcome(def, { ...input, fields, fromText: true });
  if (outcome.ok || def.summary === undefined) return outcome;
  return rejected(outcome.rejection.reason, `${outcome.rejection.message} (record has no "params"; its summary must read like "${def.summary}")`);
}

/** One record (already JSON-parsed) to an event. */
export function recordEvent(value: unknown, ctx: IngestContext): ParseOutcome {
  if (!isPlainObject(value)) return rejected('not_an_event', 'Expected a JSON object (an event record)');
  const { type, category, params } = value;
  if (typeof type !== 'string' || type === '') return rejected('not_an_event', 'The record has no "type" (the event name)');
  if (params !== undefined && !isPlainObject(params)) return rejected('invalid_params', `"params" of ${type} must be an object`);
  const options = recordOptions(value);
  if (!options.ok) return options.outcome;
  const input: EventInput = {
    name: type,
    fields: params ?? {},
    fromText: false,
    options: options.options,
    untypedCategory: typeof category === 'string' && category !== '' ? category : 'ingest',
    untypedLevel: options.options.level ?? 'info',
  };
  const found = lookupDef(ctx, type);
  if (found.kind === 'typed' && params === undefined) return derivedOutcome(found.def, input, value);
  return resolveEvent(ctx, input);
}
