import type { IngestContext } from '../ingest/context.js';
import { rejected, type ParseOutcome } from '../ingest/outcome.js';
import type { EnvelopeParse } from './envelope.js';
import { parseDovecotJson } from './parse-json.js';
import { parseDovecotTabText } from './parse-tab-text.js';
import { dovecotEvent } from './to-event.js';

/** The two body formats of Dovecot's event exporter (`format = json | tab-text`). */
export type DovecotFormat = 'json' | 'tab-text';

/** The format a request's Content-Type names: json for application/json, tab-text for text/plain. */
export function dovecotFormatOf(contentType: string | undefined): DovecotFormat | undefined {
  const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return 'json';
  if (type === 'text/plain') return 'tab-text';
  return undefined;
}

/** One exporter request body (one event) to a dovecot-pack event, an untyped event, or a refusal. */
export function parseDovecotBody(body: Buffer | string, format: DovecotFormat, ctx: IngestContext): ParseOutcome {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  const parsed: EnvelopeParse = format === 'json' ? parseDovecotJson(text) : parseDovecotTabText(text);
  if (!parsed.ok) return rejected(parsed.reason, parsed.message, parsed.offset === undefined ? {} : { offset: parsed.offset });
  return dovecotEvent(ctx, parsed.envelope);
}
