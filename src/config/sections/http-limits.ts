import { Type } from '@sinclair/typebox';

/** Defaults of one HTTP listener's limits (runtime/http-limits.ts applies them). */
export interface HttpLimitDefaults {
  readonly requestMs: number;
  readonly headersMs: number;
  readonly keepAliveMs: number;
  readonly idleMs: number;
  readonly maxConnections: number;
  /** Said after the idle timeout's description (e.g. what keeps a stream alive). */
  readonly idleNote?: string;
}

/**
 * The limit options every HTTP listener takes (MI, HTTP ingest, the metrics scrape port),
 * each with its own defaults: one set of names and meanings (issue 12 point 9, issue 15).
 */
export function httpLimitOptions(defaults: HttpLimitDefaults) {
  return {
    request_timeout_ms: Type.Integer({ minimum: 100, default: defaults.requestMs, description: 'A request (headers and body) must arrive within this; else HTTP 408 and the connection is closed.' }),
    headers_timeout_ms: Type.Integer({ minimum: 100, default: defaults.headersMs, description: 'The request headers must arrive within this (at most request_timeout_ms); else HTTP 408.' }),
    keep_alive_timeout_ms: Type.Integer({ minimum: 100, default: defaults.keepAliveMs, description: 'How long a kept-alive connection waits for its next request.' }),
    idle_timeout_ms: Type.Integer({
      minimum: 100, default: defaults.idleMs,
      description: `A connection with no traffic either way for this long is closed${defaults.idleNote === undefined ? '' : ` (${defaults.idleNote})`}.`,
    }),
    max_connections: Type.Integer({
      minimum: 1, default: defaults.maxConnections,
      description: 'Open connections at most; more are closed at once, so stalled clients cannot use up every file descriptor.',
    }),
  };
}
