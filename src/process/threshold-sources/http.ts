import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest, IncomingMessage, ServerResponse } from 'node:http';
import { monotonicUs, type Thresholds } from '../thresholds.js';

/** The parts of an undici request object the `undici:request:*` channels carry. */
export interface UndiciRequestInfo {
  readonly method: string;
  readonly origin: string;
  readonly path: string;
}

/** Subscribes a set of channel handlers; returns the disposer that unsubscribes them all. */
export function subscribeAll(handlers: Readonly<Record<string, (message: unknown) => void>>): () => void {
  for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.subscribe(name, handler);
  return () => {
    for (const [name, handler] of Object.entries(handlers)) diagnosticsChannel.unsubscribe(name, handler);
  };
}

/** `GET /path HTTP/1.1`: the request line, OpenSIPS-style extra for a slow request. */
export function requestLine(request: IncomingMessage): string {
  return `${request.method ?? ''} ${request.url ?? ''} HTTP/${request.httpVersion}`;
}

/** `GET http://host:port/path` for an outgoing http.request. */
export function clientRequestTarget(request: ClientRequest): string {
  return `${request.method} ${request.protocol}//${request.host}${portSuffix(request)}${request.path}`;
}

function portSuffix(request: ClientRequest): string {
  const host = request.getHeader('host');
  const port = typeof host === 'string' ? /:(\d+)$/.exec(host)?.[1] : undefined;
  return port === undefined ? '' : `:${port}`;
}

/**
 * Source `http_server`: from `http.server.request.start` (headers parsed, before
 * the 'request' handler runs) to `http.server.response.finish`. A handler that
 * blocks or awaits slow work is inside that span.
 */
export function watchHttpServer(thresholds: Thresholds): () => void {
  const started = new WeakMap<ServerResponse, number>();
  return subscribeAll({
    'http.server.request.start': (message) => {
      started.set((message as { response: ServerResponse }).response, monotonicUs());
    },
    'http.server.response.finish': (message) => {
      const { request, response } = message as { request: IncomingMessage; response: ServerResponse };
      const startUs = started.get(response);
      if (startUs === undefined) return;
      started.delete(response);
      thresholds.record('http_server', monotonicUs() - startUs, () => requestLine(request));
    },
  });
}

/**
 * Source `http_client`: an outgoing request until it is over: the request's
 * `close` (after the response body ended, or on failure) or undici's
 * trailers/error. It starts at `http.client.request.start`, which Node 20
 * publishes once the request is written (so connecting and sending are not
 * counted), or at `undici:request:create` for fetch. A response body nobody
 * reads never ends, so it is not timed.
 */
export function watchHttpClient(thresholds: Thresholds): () => void {
  const fetchStarted = new WeakMap<object, number>();
  const endFetch = (request: UndiciRequestInfo) => {
    const startUs = fetchStarted.get(request);
    if (startUs === undefined) return;
    fetchStarted.delete(request);
    thresholds.record('http_client', monotonicUs() - startUs, () => `${request.method} ${request.origin}${request.path}`);
  };
  return subscribeAll({
    'http.client.request.start': (message) => {
      const { request } = message as { request: ClientRequest };
      const startUs = monotonicUs();
      request.on('close', () => thresholds.record('http_client', monotonicUs() - startUs, () => clientRequestTarget(request)));
    },
    'undici:request:create': (message) => fetchStarted.set((message as { request: object }).request, monotonicUs()),
    'undici:request:trailers': (message) => endFetch((message as { request: UndiciRequestInfo }).request),
    'undici:request:error': (message) => endFetch((message as { request: UndiciRequestInfo }).request),
  });
}
