import { Type } from '@sinclair/typebox';
import type { HeraldEvent } from '../../events/event.js';
import { JsonLineSerializer } from '../../events/serialize-json.js';
import { jsonRpcBody } from './json-rpc-body.js';

/*
 * The body every broker backend (nats:, rabbitmq:, mqtt:, redis:) publishes: Herald's
 * JSON record (the `jsonl:` line, always with its `id`, so a consumer or a Herald
 * broker source can de-duplicate) or, with `format=jsonrpc`, OpenSIPS's JSON-RPC
 * notification with the id as the last param `event_id`.
 */

export const BROKER_BODY_FORMAT_OPTION = Type.Union([Type.Literal('json'), Type.Literal('jsonrpc')], {
  default: 'json',
  description: 'json: Herald\'s JSON record (the `jsonl:` line, with `id`); jsonrpc: OpenSIPS\'s JSON-RPC notification, `event_id` as the last param.',
});

export type BrokerBodyFormat = 'json' | 'jsonrpc';

/** The encoder for one subscriber: the record serializer keeps its compiled form per definition. */
export function brokerBodyEncoder(format: BrokerBodyFormat): (event: HeraldEvent) => string {
  if (format === 'jsonrpc') {
    const options = { method: undefined, eventParam: undefined, eventId: true };
    return (event) => jsonRpcBody(event, options);
  }
  const serializer = new JsonLineSerializer('utc', { id: true });
  return (event) => serializer.record(event);
}
