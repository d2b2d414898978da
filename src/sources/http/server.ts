import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { parseDovecotBody, dovecotFormatOf } from '../dovecot/parse.js';
import type { IngestContext } from '../ingest/context.js';
import type { Intake } from '../ingest/intake.js';
import type { RejectReason } from '../ingest/outcome.js';
import { createHttpGuard, type HttpGuardOptions } from '../../runtime/http-guard.js';
import { httpLimitSetup, type HttpLimits } from '../../runtime/http-limits.js';
import { carriesToken } from './access.js';
import { ingestRecords } from './records-route.js';

/** One HTTP door: the parser context and the intake (counters, bus) behind it. */
export interface HttpDoor {
  readonly ctx: IngestContext;
  readonly intake: Intake;
}

export interface IngestHttpOptions {
  /** `POST /ingest`: Herald records and NDJSON. */
  readonly records: HttpDoor;
  /** `POST /ingest/dovecot`: Dovecot's event exporter. */
  readonly dovecot: HttpDoor;
  /** Required on every request when set (off loopback, or `ingest.require_token`). */
  readonly token: string | undefined;
  readonly maxBodyBytes: number;
  readonly maxLineBytes: number;
  /** Timeouts and the connection cap (ingest.http.*_timeout_ms, max_connections), as on the MI. */
  readonly limits: HttpLimits;
  /** Seconds a refused sender is asked to wait (Retry-After). */
  readonly retryAfterSeconds: number;
  /** The MI's cross-site protections (Origin and Host), applied as they are on /mi. */
  readonly guard: HttpGuardOptions;
}

function doorOf(options: IngestHttpOptions, request: FastifyRequest): HttpDoor | undefined {
  const path = request.url.split('?')[0];
  if (path === '/ingest') return options.records;
  if (path === '/ingest/dovecot') return options.dovecot;
  return undefined;
}

function refuse(reply: FastifyReply, door: HttpDoor | undefined, status: number, reason: RejectReason, message: string): FastifyReply {
  door?.intake.stats.rejected(reason);
  return reply.code(status).type('application/json').send({ error: reason, message });
}

/** The refusals after the Origin/Host guard and before a body is read: token, back-pressure. */
function admit(options: IngestHttpOptions, request: FastifyRequest, reply: FastifyReply): FastifyReply | undefined {
  const door = doorOf(options, request);
  if (options.token !== undefined && !carriesToken(request, options.token)) {
    reply.header('www-authenticate', 'Bearer, Basic realm="herald ingest"');
    return refuse(reply, door, 401, 'unauthorized', 'This listener needs the token: Authorization: Bearer, URL credentials or ?token=');
  }
  if (door !== undefined && door.intake.busy()) {
    reply.header('retry-after', String(options.retryAfterSeconds));
    return refuse(reply, door, 429, 'busy', 'The bus cannot take more events now; retry later');
  }
  return undefined;
}

function dovecotRoute(options: IngestHttpOptions) {
  const door = options.dovecot;
  return async (request: FastifyRequest<{ Body: Buffer }>, reply: FastifyReply) => {
    const body = request.body;
    door.intake.stats.received(body.length);
    const format = dovecotFormatOf(request.headers['content-type']);
    if (format === undefined) {
      return refuse(reply, door, 415, 'unsupported_media_type', 'Dovecot bodies are application/json (format = json) or text/plain (format = tab-text)');
    }
    const outcome = parseDovecotBody(body, format, door.ctx);
    door.intake.take(outcome);
    if (outcome.ok) return reply.code(204).send();
    return reply.code(400).type('application/json').send({ error: outcome.rejection.reason, message: outcome.rejection.message });
  };
}

/**
 * The HTTP ingest listener: `POST /ingest` and `POST /ingest/dovecot`. Bodies are
 * taken as bytes whatever their type (exporters label them loosely); a body over
 * `maxBodyBytes` is refused with 413 and counted as too_large.
 */
export function createIngestHttpServer(options: IngestHttpOptions): FastifyInstance {
  const limits = httpLimitSetup(options.limits, (status, message) => JSON.stringify({ error: status === 408 ? 'timeout' : 'malformed', message }));
  const app = Fastify({ logger: false, bodyLimit: options.maxBodyBytes, ...limits.options });
  limits.apply(app.server);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onRequest', createHttpGuard(options.guard, (reply, status, message) => refuse(reply, doorOf(options, reply.request), status, 'forbidden', message)));
  app.addHook('onRequest', async (request, reply) => admit(options, request, reply));
  app.setErrorHandler((error: Error & { statusCode?: number; code?: string }, request, reply) => {
    const door = doorOf(options, request);
    if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return refuse(reply, door, 413, 'too_large', `The body is over the ${options.maxBodyBytes}-byte limit (ingest.http.max_body_bytes)`);
    }
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    if (status < 500) door?.intake.stats.rejected('malformed');
    return reply.code(status).type('application/json').send({ error: status < 500 ? 'malformed' : 'internal', message: error.message });
  });
  app.post('/ingest', ingestRecords(options.records, options.maxLineBytes, options.retryAfterSeconds));
  app.post('/ingest/dovecot', dovecotRoute(options));
  return app;
}
