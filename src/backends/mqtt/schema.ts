import { Type, type Static } from '@sinclair/typebox';
import { BROKER_BODY_FORMAT_OPTION } from '../shared/broker-body.js';

/** The options of `mqtt://host:port/topic-template?…` (docs/backends/mqtt.md; its table is generated from this). */
export const MqttOptionsSchema = Type.Object({
  qos: Type.Union([Type.Literal(0), Type.Literal(1), Type.Literal(2)], {
    default: 1,
    description: '1: delivered when the broker sent PUBACK; 2: when it sent PUBCOMP; 0: when the bytes were written (the broker does not answer, so a loss is not seen).',
  }),
  clean: Type.Boolean({
    default: true,
    description: 'Start a clean session. false with a fixed `client_id` keeps a persistent session, so the broker holds QoS 1/2 messages in flight across a reconnect.',
  }),
  client_id: Type.String({ default: '', maxLength: 65535, description: 'The MQTT client id; empty: `herald_` and random characters (a persistent session needs a fixed one).' }),
  format: BROKER_BODY_FORMAT_OPTION,
  retain: Type.Boolean({ default: false, description: 'Publish with the retain flag: the broker keeps the last message of each topic for new subscribers.' }),
  connect_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 5000, description: 'Give up a connection attempt after this long; the client reconnects every `reconnect_ms`.' }),
  reconnect_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 1000, description: 'Wait this long between connection attempts while the broker is away.' }),
  timeout_ms: Type.Integer({
    minimum: 1, maximum: 600_000, default: 5000,
    description: 'A batch whose acknowledgements are not all back after this long is retried by the bus (the broker may then get some messages twice: de-duplicate on `id`).',
  }),
}, { additionalProperties: false });

export type MqttOptions = Static<typeof MqttOptionsSchema>;
