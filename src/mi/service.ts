import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { DEFAULT_EVENT_STORE_FILE } from '../backends/event-store/open.js';
import { rotateFiles } from '../backends/shared/file-registry.js';
import { defineService, type Runtime, type Service } from '../runtime/service.js';
import { builtinCommands } from './commands/index.js';
import { httpBase, isLoopbackHost, listenError, parseListen, type ListenAddress } from '../runtime/listen.js';
import { MI_COMMANDS_SLOT, miCommandRegistry } from '../runtime/mi/registry.js';
import { INGEST_COUNTERS_SLOT } from '../runtime/ingest-counters.js';
import { STATUS_SLOT } from '../runtime/status.js';
import { httpLimitsOf } from '../runtime/http-limits.js';
import { METRICS_SLOT } from '../metrics/slot.js';
import { createMiServer } from './server.js';
import { resolveAuthPolicy } from '../runtime/token.js';

/** The slot holding the bound address. */
export const MI_ADDRESS_KEY = 'mi.address';

declare module '../runtime/slots.js' {
  interface Slots {
    [MI_ADDRESS_KEY]: MiAddress;
  }
}

/** Where the management interface listens, once bound (port 0 resolved). */
export interface MiAddress {
  readonly host: string;
  readonly port: number;
  /** Base URL, e.g. `http://127.0.0.1:8888`; JSON-RPC is at `${url}/mi`. */
  readonly url: string;
}

async function listenOn(app: FastifyInstance, listen: ListenAddress): Promise<MiAddress> {
  await app.listen({ host: listen.host, port: listen.port });
  const bound = app.server.address() as AddressInfo;
  return { host: bound.address, port: bound.port, url: httpBase(bound.address, bound.port) };
}

async function startMi(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.mi;
  if (!config.enabled) return undefined;
  const listen = parseListen(config.listen);
  const auth = await resolveAuthPolicy({
    configuredToken: config.token,
    requireToken: config.require_token,
    loopback: isLoopbackHost(listen.host),
    listen: config.listen,
    dataDir: runtime.dataDir,
    logger: runtime.logger,
  });
  const limits = httpLimitsOf(config, 'mi.');
  const registry = miCommandRegistry(runtime.slots);
  const server = createMiServer({
    bus: runtime.bus, registry, slots: runtime.slots, logger: runtime.logger, auth,
    guard: {
      allowedOrigins: config.allowed_origins, allowedHosts: config.allowed_hosts, listenHost: listen.host,
      keys: { origins: 'mi.allowed_origins', hosts: 'mi.allowed_hosts' },
    },
    maxBodyBytes: config.max_body_bytes, maxBatch: config.max_batch, streamBufferEvents: config.stream_buffer_events,
    maxStreamClients: config.max_stream_clients, limits,
  });
  const disposers = builtinCommands({
    registry, startedAtMs: Date.now(), rotate: rotateFiles, streamStats: () => server.streams.stats(),
    eventStoreUrl: `sqlite:${join(runtime.dataDir, DEFAULT_EVENT_STORE_FILE)}`,
  }).map((command) => registry.register(command));
  let address: MiAddress;
  try {
    address = await listenOn(server.app, listen);
  } catch (error) {
    for (const dispose of disposers) dispose();
    await server.app.close().catch(() => undefined);
    throw listenError('mi.listen', config.listen, error);
  }
  runtime.slots.set(MI_ADDRESS_KEY, address);
  runtime.logger.info({ url: `${address.url}/mi`, token: auth.source }, 'Management interface listening.');
  runtime.announce(`mi ${address.url}/mi`);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      server.streams.closeAll();
      await server.app.close();
      for (const dispose of disposers) dispose();
      runtime.slots.delete(MI_ADDRESS_KEY);
    })();
    return closing;
  };
  return {
    name: 'mi',
    close,
    destroy: async () => {
      // Open keep-alive connections and requests in flight are cut rather than awaited.
      server.app.server.closeAllConnections();
      await close();
    },
  };
}

/**
 * Starts the management interface. Others may register commands into the
 * `mi.commands` slot before or after it starts. Announces `mi http://HOST:PORT/mi`.
 * @throws HeraldError HERALD_ERR_CONFIG for a bad listen address or a non-loopback
 *   address without a token; HERALD_ERR_LISTEN for a busy or forbidden port.
 */
export const startMiService = defineService({
  name: 'mi',
  provides: [MI_ADDRESS_KEY],
  uses: [MI_COMMANDS_SLOT, STATUS_SLOT, INGEST_COUNTERS_SLOT, METRICS_SLOT],
  start: startMi,
});
