import { isPlainObject, parseJsonText } from '../ingest/json-text.js';
import type { EnvelopeParse } from './envelope.js';

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) && value.every((item) => typeof item === 'string') ? (value as string[]) : undefined;
}

/** A `format = json` body: one compact object per request. */
export function parseDovecotJson(text: string): EnvelopeParse {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, reason: 'malformed', message: parsed.message };
  const body = parsed.value;
  if (!isPlainObject(body)) return { ok: false, reason: 'not_an_event', message: 'Dovecot json body: expected an object' };
  const { event, hostname, categories, fields } = body;
  if (typeof event !== 'string' || event === '') {
    return { ok: false, reason: 'not_an_event', message: 'Dovecot json body: "event" (the name) is missing; set exporter_include to include name' };
  }
  if (hostname !== undefined && typeof hostname !== 'string') return { ok: false, reason: 'not_an_event', message: 'Dovecot json body: "hostname" must be a string' };
  const categoryList = categories === undefined ? [] : stringList(categories);
  if (categoryList === undefined) return { ok: false, reason: 'not_an_event', message: 'Dovecot json body: "categories" must be an array of strings' };
  if (fields !== undefined && !isPlainObject(fields)) return { ok: false, reason: 'not_an_event', message: 'Dovecot json body: "fields" must be an object' };
  return {
    ok: true,
    envelope: {
      name: event,
      hostname,
      startTime: body.start_time,
      endTime: body.end_time,
      categories: categoryList,
      fields: fields ?? {},
      fromText: false,
    },
  };
}
