import { Type, type Static } from '@sinclair/typebox';

/** The options of `udp:host:port?…` (docs/backends/udp.md; its table is generated from this). */
export const UdpOptionsSchema = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('text')], {
    default: 'json',
    description: 'json: OpenSIPS ≥ 3.1\'s JSON-RPC notification; text: the ≤ 3.0 `NAME`, `name::value` lines.',
  }),
  event_id: Type.Boolean({
    default: true, description: 'Add the event\'s unique id as the last param, `event_id` (false: the bytes are exactly OpenSIPS\'s).',
  }),
  max_datagram_bytes: Type.Integer({
    minimum: 64, maximum: 65507, default: 65457,
    description: 'A larger event is refused (counted as failed, logged), never truncated. 65457 is OpenSIPS\'s limit.',
  }),
}, { additionalProperties: false });

export type UdpOptions = Static<typeof UdpOptionsSchema>;
