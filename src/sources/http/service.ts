import type { AddressInfo } from 'node:net';
import { httpLimitsOf } from '../../runtime/http-limits.js';
import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { httpBase, listenError, parseListen } from '../../runtime/listen.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { ingestContext, ingestToken, publishedIntake } from '../ingest/service-kit.js';
import { createIngestHttpServer } from './server.js';

/** The slot holding the bound base URL (port 0 resolved), for tests and benchmarks. */
export const INGEST_HTTP_URL_SLOT = 'ingest.http.url';

declare module '../../runtime/slots.js' {
  interface Slots {
    [INGEST_HTTP_URL_SLOT]: string;
  }
}

async function startIngestHttp(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest;
  if (!config.http.enabled) return undefined;
  const listen = parseListen(config.http.listen, 'ingest.http.listen');
  const token = await ingestToken(runtime, listen.host);
  const records = publishedIntake(runtime, 'http', `POST /ingest on ${config.http.listen}`);
  const dovecot = publishedIntake(runtime, 'dovecot', `POST /ingest/dovecot on ${config.http.listen}`);
  const app = createIngestHttpServer({
    records: { intake: records.intake, ctx: ingestContext(runtime, 'ingest', config.http.unknown, undefined) },
    dovecot: { intake: dovecot.intake, ctx: ingestContext(runtime, 'dovecot', config.dovecot.unknown, ['dovecot']) },
    token,
    maxBodyBytes: config.http.max_body_bytes,
    maxLineBytes: config.http.max_line_bytes,
    limits: httpLimitsOf(config.http, 'ingest.http.'),
    retryAfterSeconds: config.retry_after_s,
    guard: {
      allowedOrigins: runtime.config.mi.allowed_origins,
      allowedHosts: runtime.config.mi.allowed_hosts,
      listenHost: listen.host,
      keys: { origins: 'mi.allowed_origins', hosts: 'mi.allowed_hosts' },
    },
  });
  const unpublish = () => {
    records.unpublish();
    dovecot.unpublish();
    runtime.slots.delete(INGEST_HTTP_URL_SLOT);
  };
  try {
    await app.listen({ host: listen.host, port: listen.port });
  } catch (error) {
    unpublish();
    await app.close().catch(() => undefined);
    throw listenError('ingest.http.listen', config.http.listen, error);
  }
  const bound = app.server.address() as AddressInfo;
  const url = httpBase(bound.address, bound.port);
  runtime.slots.set(INGEST_HTTP_URL_SLOT, url);
  runtime.announce(`ingest ${url}/ingest, ${url}/ingest/dovecot${token !== undefined ? ' (token required)' : ''}`);
  let closing: Promise<void> | undefined;
  return {
    name: 'ingest-http',
    // Requests in progress finish (their events are raised); keep-alive connections are closed.
    close: () => (closing ??= app.close().finally(unpublish)),
    destroy: async () => {
      app.server.closeAllConnections();
      await (closing ??= app.close().finally(unpublish));
    },
  };
}

/** HTTP ingest on `ingest.http.listen` (default 127.0.0.1:8088): `POST /ingest` and `POST /ingest/dovecot`. */
export const startIngestHttpService = defineService({
  name: 'ingest-http',
  provides: [INGEST_HTTP_URL_SLOT],
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startIngestHttp,
});
