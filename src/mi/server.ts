import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Bus } from '../bus/bus.js';
import { compileFilter, type CompiledFilter } from '../bus/filter/index.js';
import type { Logger } from '../log/logger.js';
import type { SlotTable } from '../runtime/slots.js';
import type { StatusRegistry } from '../runtime/status/registry.js';
import { STATUS_SLOT } from '../runtime/status.js';
import { UDP_COLLECTORS_SLOT, type UdpCollectors } from '../runtime/udp-collectors.js';
import type { MiCallContext } from '../runtime/mi/command.js';
import { dispatchBody } from './dispatch.js';
import { EventStreams } from './event-stream.js';
import { rpcError, RPC_ERROR } from './jsonrpc.js';
import type { MiCommandRegistry } from '../runtime/mi/registry.js';
import { tokenMatches, type MiAuthPolicy } from '../runtime/token.js';
import { markOwnConnection } from '../runtime/own-connections.js';
import { httpLimitSetup, type HttpLimits } from '../runtime/http-limits.js';
import { sendExposition } from '../metrics/scrape-server.js';
import { METRICS_SLOT } from '../metrics/slot.js';
import { createHttpGuard, createMediaTypeGuard, isJsonMediaType, type HttpGuardOptions } from '../runtime/http-guard.js';

/*
 *  The management interface over HTTP:
 *
 *    POST /mi              JSON-RPC 2.0: single, batch, notifications ─▶ registry ─▶ command handler
 *    GET  /events/stream   Server-Sent Events, one bus tap per client, optional ?filter=
 *    GET  /health          200 ready / 503 not ready, from the status registry (no token needed)
 *    GET  /metrics         Prometheus text exposition, from the `metrics` slot (docs/metrics.md)
 *
 *  Every route first passes the Origin/Host guard (runtime/http-guard.ts), then every route
 *  but /health checks the bearer token; both before any body is read. /mi then refuses
 *  anything but a JSON media type (415), so a page's text/plain or form POST never runs.
 */

export interface MiServerOptions {
  readonly bus: Bus;
  readonly registry: MiCommandRegistry;
  /** The daemon's slots, handed to commands read-only (status registry, ingest counters, …). */
  readonly slots: SlotTable;
  readonly logger: Logger;
  readonly auth: MiAuthPolicy;
  /** Which Origin and Host headers are accepted (mi.allowed_origins, mi.allowed_hosts, the listen host). */
  readonly guard: HttpGuardOptions;
  /** Largest request body. Bigger ones get HTTP 413. */
  readonly maxBodyBytes: number;
  /** Most calls in one batch. */
  readonly maxBatch: number;
  /** Per stream client backlog, in events. */
  readonly streamBufferEvents: number;
  /** Stream heartbeat interval. Default 15 000. */
  readonly heartbeatMs?: number;
  /** Most /events/stream clients at once; more get 503. */
  readonly maxStreamClients: number;
  /** Deadlines and the connection cap of the listener. */
  readonly limits: HttpLimits;
}

export interface MiServer {
  readonly app: FastifyInstance;
  readonly streams: EventStreams;
}

const JSON_TYPE = 'application/json; charset=utf-8';

/** Builds the fastify app; the caller listens and closes it. */
export function createMiServer(options: MiServerOptions): MiServer {
  const limits = httpLimitSetup(options.limits, (_status, message) => JSON.stringify(rpcError(null, { code: RPC_ERROR.INVALID_REQUEST, message })));
  const app = Fastify({
    logger: false,
    bodyLimit: options.maxBodyBytes,
    forceCloseConnections: true,
    return503OnClosing: true,
    ...limits.options,
  });
  limits.apply(app.server);
  app.server.on('connection', markOwnConnection);
  const streams = new EventStreams({
    bus: options.bus, logger: options.logger, bufferEvents: options.streamBufferEvents, heartbeatMs: options.heartbeatMs,
    maxClients: options.maxStreamClients,
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => replyHttpError(reply, error, options));
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).type(JSON_TYPE).send(rpcError(null, {
      code: RPC_ERROR.INVALID_REQUEST, message: `Not found: ${request.method} ${request.url}; use POST /mi, GET /events/stream, GET /metrics or GET /health`,
    }));
  });
  app.addHook('onRequest', createHttpGuard(options.guard, refuseAsRpc));
  app.addHook('onRequest', async (request, reply) => {
    if (options.auth.token === undefined || request.url.split('?')[0] === '/health') return;
    if (tokenMatches(options.auth.token, request.headers.authorization)) return;
    // Connection: close, so a client guessing tokens pays a new connection per guess.
    await reply.code(401).header('www-authenticate', 'Bearer realm="herald"').header('connection', 'close').type(JSON_TYPE).send(rpcError(null, {
      code: RPC_ERROR.UNAUTHORIZED,
      message: request.headers.authorization === undefined
        ? 'Unauthorized: this interface needs "Authorization: Bearer <token>" (herald: --token or HERALD_TOKEN)'
        : 'Unauthorized: wrong bearer token',
    }));
  });
  registerRpcRoute(app, options);
  app.get('/events/stream', (request, reply) => streamEvents(request, reply, streams));
  app.get('/health', async (_request, reply) => health(reply, options.slots.get(STATUS_SLOT), options.slots.get(UDP_COLLECTORS_SLOT)));
  app.get('/metrics', async (_request, reply) => sendExposition(reply, options.slots.get(METRICS_SLOT)));
  return { app, streams };
}

function registerRpcRoute(app: FastifyInstance, options: MiServerOptions): void {
  const ctx: MiCallContext = { bus: options.bus, logger: options.logger, slots: options.slots };
  // Encapsulated so the raw-text parser applies to /mi only: malformed JSON must reach
  // dispatchBody and get a JSON-RPC -32700, not fastify's own 400.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    const jsonOnly = createMediaTypeGuard(isJsonMediaType, 'application/json', refuseAsRpc);
    scope.post('/mi', { onRequest: jsonOnly }, async (request, reply) => {
      const body = typeof request.body === 'string' ? request.body : '';
      const answer = await dispatchBody(body, { registry: options.registry, ctx, maxBatch: options.maxBatch });
      if (answer === undefined) return reply.code(204).send();
      return reply.code(200).type(JSON_TYPE).send(JSON.stringify(answer, bigintAsString));
    });
    scope.get('/mi', async (_request, reply) => reply.code(405).header('allow', 'POST').type(JSON_TYPE).send(rpcError(null, {
      code: RPC_ERROR.INVALID_REQUEST, message: 'Invalid request: JSON-RPC calls are POSTed to /mi',
    })));
  });
}

/** A refusal from a guard, as a JSON-RPC error (403 → -32011, anything else → -32600). */
function refuseAsRpc(reply: FastifyReply, status: number, message: string): FastifyReply {
  const code = status === 403 ? RPC_ERROR.FORBIDDEN : RPC_ERROR.INVALID_REQUEST;
  return reply.code(status).header('connection', 'close').type(JSON_TYPE).send(rpcError(null, { code, message }));
}

function bigintAsString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

function replyHttpError(reply: FastifyReply, error: FastifyError, options: MiServerOptions): FastifyReply {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return reply.code(413).type(JSON_TYPE).send(rpcError(null, {
      code: RPC_ERROR.INVALID_REQUEST, message: `Invalid request: the body is larger than mi.max_body_bytes (${options.maxBodyBytes} bytes)`,
    }));
  }
  const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  if (status === 500) options.logger.error({ err: error }, 'Management interface request failed.');
  return reply.code(status).type(JSON_TYPE).send(rpcError(null, {
    code: status === 500 ? RPC_ERROR.INTERNAL_ERROR : RPC_ERROR.INVALID_REQUEST,
    message: status === 500 ? 'Internal error' : `Invalid request: ${error.message}`,
  }));
}

function streamEvents(request: FastifyRequest, reply: FastifyReply, streams: EventStreams): void {
  const source = (request.query as Record<string, unknown>).filter;
  if (source !== undefined && typeof source !== 'string') {
    void reply.code(400).type(JSON_TYPE).send({ error: 'Give at most one "filter" query parameter' });
    return;
  }
  if (streams.full()) {
    void reply.code(503).header('connection', 'close').type(JSON_TYPE)
      .send({ error: `Too many stream clients: mi.max_stream_clients is ${streams.maxClients}` });
    return;
  }
  let filter: CompiledFilter | undefined;
  try {
    filter = source === undefined || source.trim() === '' ? undefined : compileFilter(source);
  } catch (error) {
    const { message, code } = error as Error & { code?: string };
    void reply.code(400).type(JSON_TYPE).send({ error: message, code });
    return;
  }
  reply.hijack();
  streams.attach(reply.raw, filter);
}

/** Loss the kernel saw at each UDP collector, in either answer: a ready daemon can still be losing packets. */
function collectorDetails(collectors: UdpCollectors | undefined): { collectors?: Array<Record<string, string | number>> } {
  const list = collectors?.list() ?? [];
  if (list.length === 0) return {};
  return {
    collectors: list.map((state) => ({
      listener: state.listener, proto: state.proto, port: state.port,
      ...(state.kernelDrops !== undefined ? { kernel_drops: state.kernelDrops, rx_queue_bytes: state.rxQueueBytes ?? 0 } : { kernel_drops: 'unavailable' }),
    })),
  };
}

function health(reply: FastifyReply, status: StatusRegistry | undefined, collectors: UdpCollectors | undefined): FastifyReply {
  if (status === undefined || status.ready()) return reply.code(200).send({ status: 'ready', ...collectorDetails(collectors) });
  const notReady = status.groups().flatMap((group) => status.identifiers(group)
    .filter((identifier) => identifier.status < 0)
    .map((identifier) => ({ group, identifier: identifier.name, status: identifier.status, details: identifier.details })));
  return reply.code(503).send({ status: 'not ready', not_ready: notReady, ...collectorDetails(collectors) });
}
