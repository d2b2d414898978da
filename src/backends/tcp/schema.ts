import { Type, type Static } from '@sinclair/typebox';

/** The options of `tcp:host:port[/method]?…` (docs/backends/tcp.md; its table is generated from this). */
export const TcpOptionsSchema = Type.Object({
  reliable: Type.Boolean({
    default: false,
    description: 'Send each event as a JSON-RPC request with an id and wait for its reply: delivered only when the peer answers without `error` (OpenSIPS `reliable_mode`).',
  }),
  connect_timeout_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 1000, description: 'Give up a connection attempt after this long; the batch is retried with backoff.' }),
  timeout_ms: Type.Integer({
    minimum: 1, maximum: 600_000, default: 1000,
    description: 'A write the kernel has not taken, or (reliable) replies not all back, after this long: the connection is dropped and the batch retried.',
  }),
  event_param: Type.String({ default: '', description: 'When set, the event name goes first in `params` under this key (OpenSIPS `event_param`).' }),
  event_id: Type.Boolean({ default: true, description: 'Add the event\'s unique id as the last param, `event_id` (false: the bytes are exactly OpenSIPS\'s).' }),
}, { additionalProperties: false });

export type TcpOptions = Static<typeof TcpOptionsSchema>;
