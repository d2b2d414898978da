import { Type } from '@sinclair/typebox';
import { httpLimitOptions } from './http-limits.js';

/** The management interface: JSON-RPC 2.0 at POST /mi, SSE at /events/stream, /health. See docs/mi.md. */
export const MiSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the management interface.' }),
  listen: Type.String({
    default: '127.0.0.1:8888',
    description: 'host:port (IPv6 as [::1]:8888; port 0 picks a free port). A non-loopback address needs a token, or Herald refuses to start.',
  }),
  token: Type.Optional(Type.String({ minLength: 16, description: 'Bearer token every call must carry. Overridden by HERALD_TOKEN.' })),
  require_token: Type.Boolean({
    default: true,
    description: 'Demand a bearer token, loopback included (any local user reaches 127.0.0.1). With no mi.token/HERALD_TOKEN, one is generated into <data_dir>/mi.token (mode 0600) on first start and reused; the CLI finds it. false serves loopback without a token, with a warning at start.',
  }),
  allowed_origins: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description: 'Web origins (scheme://host[:port]) whose pages may call the interface. A request carrying any other Origin header gets HTTP 403, so a page the operator opens cannot drive the daemon.',
  }),
  allowed_hosts: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description: 'Host names accepted in the Host header besides the listen address, localhost, 127.0.0.1 and ::1 (any IP literal when listening on 0.0.0.0 or ::). Others get HTTP 403: this stops DNS rebinding.',
  }),
  max_body_bytes: Type.Integer({ minimum: 256, default: 1_048_576, description: 'Largest request body; bigger requests get HTTP 413.' }),
  max_batch: Type.Integer({ minimum: 1, default: 100, description: 'Most calls in one JSON-RPC batch; longer batches are refused as invalid requests.' }),
  stream_buffer_events: Type.Integer({
    minimum: 1,
    default: 1000,
    description: 'Events held per /events/stream client that reads slowly; beyond that new events are dropped and counted.',
  }),
  max_stream_clients: Type.Integer({
    minimum: 1, default: 64,
    description: 'Most /events/stream clients at once; more get HTTP 503. Each client costs work on every raise.',
  }),
  ...httpLimitOptions({
    requestMs: 30_000, headersMs: 10_000, keepAliveMs: 5_000, idleMs: 60_000, maxConnections: 512,
    idleNote: '/events/stream sends heartbeats every 15 s',
  }),
}, { additionalProperties: false, default: {}, description: 'The management interface: JSON-RPC at POST /mi, live events at /events/stream, /health (docs/mi.md).' });
