import { Type } from '@sinclair/typebox';
import { MetricDefinitionSchema } from '../../metrics/schema.js';
import { httpLimitOptions } from './http-limits.js';

/** User-defined metrics and the Prometheus endpoint. See docs/metrics.md. */
export const MetricsSection = Type.Object({
  definitions: Type.Array(MetricDefinitionSchema, {
    default: [],
    description: 'Metrics made from events, as Dovecot\'s `metric { … }` blocks (docs/metrics.md). MI stats_add/stats_remove change them at run time (not saved).',
  }),
  listen: Type.Optional(Type.String({
    description: 'host:port of a scrape-only port serving GET /metrics and nothing else. Unset: /metrics is served on the MI listener only. A non-loopback address needs metrics.token.',
  })),
  token: Type.Optional(Type.String({ minLength: 16, description: 'Bearer token the scrape-only port demands (Prometheus `authorization: { credentials: … }`).' })),
  allowed_hosts: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description: 'Host names accepted in the Host header of the scrape-only port besides its listen address and loopback.',
  }),
  // The scrape-only port's bounds; /metrics on the MI listener follows mi.*.
  ...httpLimitOptions({ requestMs: 10_000, headersMs: 5_000, keepAliveMs: 5_000, idleMs: 60_000, maxConnections: 64, idleNote: 'metrics.listen only' }),
  sweep_interval_ms: Type.Integer({
    minimum: 100, default: 10_000,
    description: 'How often idle groups are looked for (each metric frees them after its idle_expire_ms).',
  }),
}, { additionalProperties: false, default: {}, description: 'Metrics from events: definitions, the scrape-only port (docs/metrics.md).' });
