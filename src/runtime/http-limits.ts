import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { HeraldError } from '../errors/herald-error.js';

/*
 *  Bounds for Herald's HTTP listeners (issue 12, point 9: 19,980 connections with a stalled
 *  body used up every file descriptor and took /health, the MI and HEP/TCP down).
 *
 *    connect ──headersMs──▶ headers in ──requestMs (from connect)──▶ body in ──▶ answer
 *       └── idleMs without a byte either way: closed          keepAliveMs between requests
 *    more than maxConnections open: refused at accept
 */

export interface HttpLimits {
  /** The whole request, headers and body, must arrive within this. */
  readonly requestMs: number;
  /** The headers must arrive within this; at most requestMs. */
  readonly headersMs: number;
  /** A kept-alive connection waits this long for its next request. */
  readonly keepAliveMs: number;
  /** A connection with no traffic either way for this long is closed (streams send heartbeats). */
  readonly idleMs: number;
  /** Open connections at most; more are closed at accept. */
  readonly maxConnections: number;
}

/** The limit keys of a listener's config section (config/sections/http-limits.ts). */
export interface HttpLimitKeys {
  readonly request_timeout_ms: number;
  readonly headers_timeout_ms: number;
  readonly keep_alive_timeout_ms: number;
  readonly idle_timeout_ms: number;
  readonly max_connections: number;
}

/**
 * A listener's limits from its config section, checked.
 * @throws HeraldError HERALD_ERR_CONFIG naming the keys under `prefix` (e.g. `ingest.http.`).
 */
export function httpLimitsOf(section: HttpLimitKeys, prefix: string): HttpLimits {
  const limits: HttpLimits = {
    requestMs: section.request_timeout_ms, headersMs: section.headers_timeout_ms, keepAliveMs: section.keep_alive_timeout_ms,
    idleMs: section.idle_timeout_ms, maxConnections: section.max_connections,
  };
  checkHttpLimits(limits, prefix);
  return limits;
}

/**
 * Everything a fastify listener needs for its limits: the constructor options (timeouts and
 * the answer to what Node refuses before a route, `body(status, why)` in the listener's own
 * shape) and `apply`, to call on the app's server before listen. One path for every listener.
 */
export function httpLimitSetup(limits: HttpLimits, body: (status: number, message: string) => string) {
  return {
    options: { ...fastifyLimitOptions(limits), clientErrorHandler: clientErrorHandler(body) },
    apply: (server: Server) => applyHttpLimits(server, limits),
  };
}

/**
 * Checks that the limits agree with each other.
 * @throws HeraldError HERALD_ERR_CONFIG naming the keys, under `prefix` (e.g. `mi.`).
 */
export function checkHttpLimits(limits: HttpLimits, prefix: string): void {
  if (limits.headersMs > limits.requestMs) {
    throw new HeraldError('HERALD_ERR_CONFIG',
      `Invalid config: ${prefix}headers_timeout_ms (${limits.headersMs}) must not exceed ${prefix}request_timeout_ms (${limits.requestMs})`);
  }
}

/** The fastify constructor options that carry the limits. */
export function fastifyLimitOptions(limits: HttpLimits): { requestTimeout: number; keepAliveTimeout: number; connectionTimeout: number } {
  return { requestTimeout: limits.requestMs, keepAliveTimeout: limits.keepAliveMs, connectionTimeout: limits.idleMs };
}

/**
 * Sets what fastify's options do not reach; call before listen. Node checks the header
 * and request deadlines on an interval (30 s by default, and never when headersTimeout
 * exceeds requestTimeout): it is shortened so a deadline is enforced close to its time.
 */
export function applyHttpLimits(server: Server, limits: HttpLimits): void {
  server.headersTimeout = limits.headersMs;
  server.maxConnections = limits.maxConnections;
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.max(50, Math.min(1000, Math.floor(limits.headersMs / 4)));
}

const STATUS_FOR: Readonly<Record<string, readonly [number, string]>> = {
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout'],
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large'],
};

/**
 * A fastify `clientErrorHandler`: what Node refuses before any route runs (bad HTTP,
 * a request or header deadline, oversized headers) is answered with `body(status, why)`
 * in the listener's own shape, then the connection is closed.
 */
export function clientErrorHandler(body: (status: number, message: string) => string) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const [status, reason] = STATUS_FOR[error.code ?? ''] ?? [400, 'Bad Request'];
    const message = status === 408 ? 'Request timeout: the request did not arrive in time'
      : status === 431 ? 'Request header fields too large'
        : `Bad request: ${error.code ?? error.message}`;
    const text = body(status, message);
    if (socket.writable) {
      socket.write(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n`
        + `Content-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    }
    socket.destroy();
  };
}
