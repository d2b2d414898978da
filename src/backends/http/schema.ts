import { Type, type Static } from '@sinclair/typebox';

/**
 * The options of `http(s)://…?…` (docs/backends/http.md; its table is generated
 * from this). Headers are given as `header.NAME=value` and are not in the schema.
 */
export const HttpOptionsSchema = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('ndjson')], {
    default: 'json',
    description: 'json: one POST per event, its JSON record as the body; ndjson: one POST per batch, a record per line.',
  }),
  timeout_ms: Type.Integer({
    minimum: 1, maximum: 600_000, default: 5000,
    description: 'Connect, response headers and body each within this long, or the request is retried.',
  }),
  connections: Type.Integer({
    minimum: 1, maximum: 64, default: 4,
    description: 'Keep-alive connections to the origin; with format=json, also how many events are posted at once.',
  }),
  keep_alive_ms: Type.Integer({ minimum: 1, maximum: 600_000, default: 4000, description: 'Close an idle connection after this long (unless the server says less).' }),
}, { additionalProperties: false });

export type HttpOptions = Static<typeof HttpOptionsSchema>;
