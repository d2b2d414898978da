import type { EventDef } from '../../events/define.js';
import type { RaiseOptions } from '../../events/event.js';
import type { Level } from '../../events/level.js';
import { checkParamValue, describeReceived, EXPECTED } from '../../events/param-validate.js';
import type { ParamKind, ParamValue } from '../../events/params.js';
import { lookupDef, type IngestContext } from '../ingest/context.js';
import { rejected, type ParseOutcome } from '../ingest/outcome.js';
import { unknownOutcome, untypedValue } from '../ingest/resolve.js';
import { parseEventTime } from '../ingest/time.js';
import type { DovecotEnvelope } from './envelope.js';
import { tabUnescape } from './parse-tab-text.js';

/**
 * Names real Dovecot 2.3.19 sends where the event list (and so the pack) uses
 * another: both are accepted, the pack's name is filled from the real one, and
 * the real field is kept as Dovecot sent it.
 */
const PACK_NAME_OF: Readonly<Record<string, string>> = {
  cmd_tag: 'tag',
  cmd_name: 'name',
  cmd_args: 'args',
  cmd_human_args: 'human_args',
  original_user: 'original_username',
  translated_user: 'translated_username',
  success: 'successful',
};

/** Undeclared fields Dovecot always sends as string lists (global inherits), even with one item. */
const LIST_FIELDS = new Set(['reason_code']);
const CANONICAL_INT = /^-?(0|[1-9]\d{0,15})$/;

/** Dovecot's own time formats: RFC 3339 text or Unix seconds, as a `timestamp` (Unix seconds). */
function timestampSeconds(value: unknown): number | undefined {
  const us = parseEventTime(value);
  return us === undefined ? undefined : us / 1e6;
}

function listItems(text: string): string[] | undefined {
  if (text === '') return [];
  const items = text.split('\t').map(tabUnescape);
  return items.every((item) => item !== undefined) ? (items as string[]) : undefined;
}

/** A declared field, checked against its kind. */
function declaredValue(kind: ParamKind, value: unknown, fromText: boolean): ParamValue | undefined {
  if (kind === 'timestamp') return timestampSeconds(value);
  if (fromText && kind === 'string_list' && typeof value === 'string') return listItems(value);
  return checkParamValue(kind, value, fromText);
}

/** An undeclared tab-text field: integers as numbers and lists as lists, so json and tab-text bodies land alike. */
function textValue(name: string, text: string): ParamValue | undefined {
  if (LIST_FIELDS.has(name) || text.includes('\t')) return listItems(text);
  if (CANONICAL_INT.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}

type Typed = { readonly ok: true; readonly params: Record<string, ParamValue | undefined> } | { readonly ok: false; readonly message: string };

/**
 * Lenient typing: a declared field that is present must fit its kind, but Dovecot
 * decides which fields it sends (by version, process and exporter_include), so a
 * declared field may be absent; undeclared fields are kept (the pack is open).
 */
function typeFields(def: EventDef, envelope: DovecotEnvelope): Typed {
  const params: Record<string, ParamValue | undefined> = {};
  const problems: string[] = [];
  for (const name of Object.keys(envelope.fields)) {
    const value = envelope.fields[name];
    if (value === null || value === undefined) continue;
    const spec = Object.hasOwn(def.params, name) ? def.params[name] : undefined;
    const checked = spec !== undefined
      ? declaredValue(spec.kind, value, envelope.fromText)
      : envelope.fromText && typeof value === 'string' ? textValue(name, value) : untypedValue(value);
    if (checked === undefined && spec !== undefined) problems.push(`field "${name}" expected ${EXPECTED[spec.kind]}, received ${describeReceived(value)}`);
    else if (checked !== undefined) params[name] = checked;
  }
  for (const [real, packName] of Object.entries(PACK_NAME_OF)) {
    if (params[packName] === undefined && params[real] !== undefined && Object.hasOwn(def.params, packName)) {
      const value = declaredValue(def.params[packName].kind, envelope.fields[real], envelope.fromText);
      if (value !== undefined) params[packName] = value;
    }
  }
  if (problems.length > 0) return { ok: false, message: `Dovecot event ${def.name}: ${problems.slice(0, 3).join('; ')}` };
  return { ok: true, params };
}

/** Dovecot's most specific category, for an event the pack does not know. */
function untypedCategory(categories: readonly string[]): string {
  return categories.find((category) => !category.startsWith('service:')) ?? 'dovecot';
}

/** The pack's level rule: completed operations and connection changes are info, the rest debug. */
function untypedLevel(name: string): Level {
  return /_(finished|connected|disconnected)$/.test(name) ? 'info' : 'debug';
}

/** The envelope's own data: `start_time` (Unix seconds) and `categories` join the fields, unless a field has the name. */
function withEnvelope(params: Record<string, ParamValue | undefined>, envelope: DovecotEnvelope, startUs: number | undefined): void {
  if (startUs !== undefined && params.start_time === undefined) params.start_time = startUs / 1e6;
  if (envelope.categories.length > 0 && params.categories === undefined) params.categories = envelope.categories;
}

/** Maps one exported event onto the dovecot pack (or an untyped event, by the unknown policy). */
export function dovecotEvent(ctx: IngestContext, envelope: DovecotEnvelope): ParseOutcome {
  const startUs = envelope.startTime === undefined ? undefined : parseEventTime(envelope.startTime);
  const endUs = envelope.endTime === undefined ? undefined : parseEventTime(envelope.endTime);
  if ((envelope.startTime !== undefined && startUs === undefined) || (envelope.endTime !== undefined && endUs === undefined)) {
    return rejected('invalid_time', `Dovecot event ${envelope.name}: start_time/end_time must be RFC 3339 or Unix seconds, received ${describeReceived(envelope.endTime ?? envelope.startTime)}`);
  }
  // Herald's time is when the event was sent (Dovecot's end_time); start_time stays a field.
  const options: RaiseOptions = { timeUs: endUs ?? startUs, sourceId: envelope.hostname ?? 'dovecot' };
  const found = lookupDef(ctx, envelope.name);
  if (found.kind === 'foreign') return rejected('unknown_event', `Event ${envelope.name} belongs to pack ${found.def.pack}, which dovecot may not raise`);
  if (found.kind === 'unknown') {
    const fields: Record<string, unknown> = {};
    for (const name of Object.keys(envelope.fields)) {
      const value = envelope.fields[name];
      fields[name] = envelope.fromText && typeof value === 'string' ? textValue(name, value) : value;
    }
    const outcome = unknownOutcome(ctx, {
      name: envelope.name, fields, fromText: false, options,
      untypedCategory: untypedCategory(envelope.categories), untypedLevel: untypedLevel(envelope.name),
    }, `Unknown Dovecot event ${JSON.stringify(envelope.name.slice(0, 80))}`);
    if (outcome.ok) withEnvelope(outcome.event.params as Record<string, ParamValue | undefined>, envelope, startUs);
    return outcome;
  }
  const typed = typeFields(found.def, envelope);
  if (!typed.ok) return rejected('invalid_params', typed.message);
  withEnvelope(typed.params, envelope, startUs);
  return { ok: true, event: { def: found.def, params: typed.params, options, typed: true } };
}
