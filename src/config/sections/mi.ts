import { Type } from '@sinclair/typebox';

/** The management interface: JSON-RPC 2.0 at POST /mi, SSE at /events/stream, /health. */
export const MiSection = Type.Object({
  enabled: Type.Boolean({ default: true, description: 'Start the management interface.' }),
  listen: Type.String({ default: '127.0.0.1:8888', description: 'host:port. Any non-loopback address requires a token.' }),
  token: Type.Optional(Type.String({ minLength: 16, description: 'Bearer token. Overridden by HERALD_TOKEN.' })),
}, { additionalProperties: false, default: {} });
