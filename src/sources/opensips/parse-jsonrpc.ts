import { isEventId } from '../../events/event-id.js';
import type { IngestContext } from '../ingest/context.js';
import { isPlainObject, parseJsonText } from '../ingest/json-text.js';
import { rejected, type ParseOutcome } from '../ingest/outcome.js';
import { resolveEvent } from '../ingest/resolve.js';
import { namePositional } from './positional.js';

/** A JSON-RPC id, when OpenSIPS sent a request (event_stream reliable mode) rather than a notification. */
export type RequestId = number | string;

export interface OpensipsMessage {
  readonly outcome: ParseOutcome;
  /** Set when the message was a request: the stream listener answers it. */
  readonly requestId: RequestId | undefined;
}

function requestIdOf(value: unknown): RequestId | undefined {
  return (typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string' ? value : undefined;
}

/**
 * One OpenSIPS event as JSON-RPC (event_datagram ≥ 3.1, event_stream):
 * {"jsonrpc":"2.0","method":EVENT,"params":{…}|[…]} plus "id" in reliable mode.
 * OpenSIPS writes every param as an int or a string, so text is parsed by the declared kinds.
 */
export function parseOpensipsJsonRpc(text: string, ctx: IngestContext): OpensipsMessage {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { outcome: rejected('malformed', parsed.message), requestId: undefined };
  const message = parsed.value;
  if (!isPlainObject(message)) return { outcome: rejected('not_an_event', 'OpenSIPS JSON-RPC: expected an object'), requestId: undefined };
  const requestId = requestIdOf(message.id);
  const { jsonrpc, method, params } = message;
  if (jsonrpc !== undefined && jsonrpc !== '2.0') return { outcome: rejected('not_an_event', 'OpenSIPS JSON-RPC: "jsonrpc" must be "2.0"'), requestId };
  if (typeof method !== 'string' || method === '') return { outcome: rejected('not_an_event', 'OpenSIPS JSON-RPC: "method" (the event name) is missing'), requestId };
  let fields: Record<string, unknown>;
  if (params === undefined || params === null) fields = {};
  else if (Array.isArray(params)) {
    const named = namePositional(ctx, method, params);
    if (typeof named === 'string') return { outcome: rejected('invalid_params', named), requestId };
    fields = named;
  } else if (isPlainObject(params)) fields = params;
  else return { outcome: rejected('invalid_params', `OpenSIPS JSON-RPC ${method}: "params" must be an object or an array`), requestId };
  // Herald's own JSON-RPC bodies (udp:, tcp:, brokers with format=jsonrpc) end with the event's id: it stays the id, not a param.
  const { event_id: eventId, ...rest } = fields;
  const id = typeof eventId === 'string' && isEventId(eventId) ? eventId : undefined;
  const outcome = resolveEvent(ctx, {
    name: method, fields: id === undefined ? fields : rest, fromText: true, options: id === undefined ? {} : { id }, untypedCategory: 'opensips', untypedLevel: 'info',
  });
  return { outcome, requestId };
}
