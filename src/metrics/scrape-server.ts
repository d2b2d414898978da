import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { createHttpGuard } from '../runtime/http-guard.js';
import { httpLimitSetup, type HttpLimits } from '../runtime/http-limits.js';
import { httpBase, type ListenAddress } from '../runtime/listen.js';
import { tokenMatches } from '../runtime/token.js';
import { EXPOSITION_CONTENT_TYPE } from './exposition.js';
import type { MetricsEndpoint } from './slot.js';

export interface ScrapeServerOptions {
  readonly endpoint: MetricsEndpoint;
  readonly listen: ListenAddress;
  /** Bearer token a scrape must carry, when set. */
  readonly token: string | undefined;
  readonly allowedHosts: readonly string[];
  /** Timeouts and the connection cap (metrics.*_timeout_ms, max_connections), as on the MI. */
  readonly limits: HttpLimits;
}

function refuse(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).header('connection', 'close').type('text/plain; charset=utf-8').send(`${message}\n`);
}

/** Answers GET /metrics with the exposition, as the MI listener does. */
export async function sendExposition(reply: FastifyReply, endpoint: MetricsEndpoint | undefined): Promise<FastifyReply> {
  if (endpoint === undefined) return refuse(reply, 404, 'Not found: the metrics service is not running');
  return reply.code(200).type(EXPOSITION_CONTENT_TYPE).send(await endpoint.exposition());
}

/**
 * The scrape-only port (metrics.listen): GET /metrics and nothing else, behind
 * the same Origin/Host guard as the MI listener, and a bearer token when one is set.
 * Resolves once listening; the caller closes the app.
 */
export async function startScrapeServer(options: ScrapeServerOptions): Promise<{ readonly app: FastifyInstance; readonly url: string }> {
  const limits = httpLimitSetup(options.limits, (_status, message) => JSON.stringify({ error: message }));
  const app = Fastify({ logger: false, forceCloseConnections: true, ...limits.options });
  limits.apply(app.server);
  app.addHook('onRequest', createHttpGuard({
    allowedOrigins: [], allowedHosts: options.allowedHosts, listenHost: options.listen.host,
    keys: { origins: '(none: the scrape port serves no web page)', hosts: 'metrics.allowed_hosts' },
  }, refuse));
  app.addHook('onRequest', async (request, reply) => {
    if (options.token === undefined || tokenMatches(options.token, request.headers.authorization)) return;
    await refuse(reply.header('www-authenticate', 'Bearer realm="herald-metrics"'), 401, 'Unauthorized: this port needs "Authorization: Bearer <metrics.token>"');
  });
  app.get('/metrics', async (_request, reply) => sendExposition(reply, options.endpoint));
  app.setNotFoundHandler((request, reply) => {
    void refuse(reply, 404, `Not found: ${request.method} ${request.url}; this port serves GET /metrics only`);
  });
  await app.listen({ host: options.listen.host, port: options.listen.port });
  const bound = app.server.address() as AddressInfo;
  return { app, url: httpBase(bound.address, bound.port) };
}
