import type { IngestContext } from '../ingest/context.js';
import { isPlainObject, parseJsonText } from '../ingest/json-text.js';
import { rejected, type ParseOutcome } from '../ingest/outcome.js';
import { recordEvent } from '../http/parse-record.js';
import { parseOpensipsJsonRpc } from '../opensips/parse-jsonrpc.js';

/** What a broker message body holds: Herald's JSON record (the `jsonl:` line), OpenSIPS's JSON-RPC notification, or either. */
export const BROKER_BODY_FORMATS = ['auto', 'record', 'jsonrpc'] as const;
export type BrokerBodyFormat = (typeof BROKER_BODY_FORMATS)[number];

/**
 * One message body to an event, typed by the catalogue under the source's
 * unknown-event policy. `auto` reads a body with a `method` member as JSON-RPC and
 * anything else as a record, so one stream may carry both.
 */
export function decodeBrokerBody(body: Uint8Array | string, format: BrokerBodyFormat, ctx: IngestContext, maxBytes: number): ParseOutcome {
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size > maxBytes) return rejected('too_large', `A message of ${size} bytes is over max_message_bytes=${maxBytes}`);
  const text = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  if (format === 'jsonrpc') return parseOpensipsJsonRpc(text, ctx).outcome;
  const parsed = parseJsonText(text);
  if (!parsed.ok) return rejected('malformed', parsed.message);
  if (format === 'auto' && isPlainObject(parsed.value) && 'method' in parsed.value) return parseOpensipsJsonRpc(text, ctx).outcome;
  return recordEvent(parsed.value, ctx);
}
