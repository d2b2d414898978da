import type { HeraldEvent } from '../../events/event.js';
import { paramsJsonMembers, quoteJson } from '../../events/serialize-json.js';

/*
 * OpenSIPS's event body (evi/evi_transport.c evi_build_payload, 3.1+), compact, in this key order:
 *   {"id":<int>,"jsonrpc":"2.0","method":"<method>","params":{…}}
 * `id` only for a request that expects a reply (event_stream reliable mode), never `"id":null`;
 * `params` left out when there is nothing to put in it. Herald's params are always named, so
 * `params` is an object; the event_stream `event_param` key comes first in it.
 */

export interface JsonRpcBodyOptions {
  /** The JSON-RPC method; undefined uses the event name (OpenSIPS's default). */
  readonly method: string | undefined;
  /** When set, the event name goes first in params under this key (event_stream `event_param`). */
  readonly eventParam: string | undefined;
  /** Carry the event's unique id as the last param, `event_id`, so consumers can de-duplicate. */
  readonly eventId: boolean;
}

/** The JSON-RPC notification (or, with `requestId`, request) for one event. */
export function jsonRpcBody(event: HeraldEvent, options: JsonRpcBodyOptions, requestId?: number): string {
  let members = paramsJsonMembers(event);
  if (options.eventParam !== undefined) {
    const name = `${quoteJson(options.eventParam)}:${quoteJson(event.name)}`;
    members = members === '' ? name : `${name},${members}`;
  }
  if (options.eventId) {
    const id = `"event_id":${quoteJson(event.id)}`;
    members = members === '' ? id : `${members},${id}`;
  }
  const head = requestId === undefined ? '{"jsonrpc":"2.0","method":' : `{"id":${requestId},"jsonrpc":"2.0","method":`;
  const params = members === '' ? '' : `,"params":{${members}}`;
  return `${head}${quoteJson(options.method ?? event.name)}${params}}`;
}
