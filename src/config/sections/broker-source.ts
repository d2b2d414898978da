import { Type } from '@sinclair/typebox';

/**
 * The options every broker source takes (NATS JetStream, RabbitMQ, MQTT, Redis
 * streams), read by sources/broker's BrokerIntake. `source` names the broker in the descriptions.
 */
export function brokerSourceOptions(source: string) {
  return {
    format: Type.Union([Type.Literal('auto'), Type.Literal('record'), Type.Literal('jsonrpc')], {
      default: 'auto',
      description: `What a ${source} message body holds: \`record\` (Herald's JSON record, the \`jsonl:\` line), \`jsonrpc\` (OpenSIPS's JSON-RPC notification), \`auto\` (a body with \`method\` is JSON-RPC, any other a record).`,
    }),
    max_message_bytes: Type.Integer({ minimum: 256, default: 1024 * 1024, description: 'A larger message is acknowledged, not raised, and counted as `too_large`.' }),
    dedup_ids: Type.Integer({ minimum: 1, default: 100_000, description: 'How many recent event ids are remembered to drop redeliveries (counted as `duplicates`).' }),
    dedup_window_ms: Type.Integer({ minimum: 1, default: 10 * 60_000, description: 'How long an event id is remembered for de-duplication.' }),
    unknown: Type.Union([Type.Literal('accept'), Type.Literal('reject')], {
      default: 'accept',
      description: `An event from ${source} that the catalogue does not know: \`accept\` keeps it untyped, \`reject\` refuses it; both are counted.`,
    }),
  };
}
