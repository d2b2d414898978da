import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { HeraldError } from '../errors/herald-error.js';
import { rotateFiles } from '../backends/shared/file-registry.js';
import type { Service, ServiceStarter } from '../runtime/service.js';
import { builtinCommands } from './commands/index.js';
import { httpBase, isLoopbackHost, parseListen, type ListenAddress } from '../runtime/listen.js';
import { miCommandRegistry } from '../runtime/mi/registry.js';
import { createMiServer } from './server.js';
import { resolveAuthPolicy } from './token.js';

/** Key under which the bound address is published in `runtime.shared`. */
export const MI_ADDRESS_KEY = 'mi.address';

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

/**
 * Starts the management interface (first service, so others can register commands
 * into `shared['mi.commands']` and stop before it). Announces `mi http://HOST:PORT/mi`.
 * @throws HeraldError HERALD_ERR_CONFIG for a bad listen address, a busy port, or a
 *   non-loopback address without a token.
 */
export const startMiService: ServiceStarter = async (runtime): Promise<Service | undefined> => {
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
  const registry = miCommandRegistry(runtime.shared);
  const server = createMiServer({
    bus: runtime.bus, registry, shared: runtime.shared, logger: runtime.logger, auth,
    guard: {
      allowedOrigins: config.allowed_origins, allowedHosts: config.allowed_hosts, listenHost: listen.host,
      keys: { origins: 'mi.allowed_origins', hosts: 'mi.allowed_hosts' },
    },
    maxBodyBytes: config.max_body_bytes, maxBatch: config.max_batch, streamBufferEvents: config.stream_buffer_events,
  });
  const disposers = builtinCommands({
    registry, startedAtMs: Date.now(), rotate: rotateFiles, streamStats: () => server.streams.stats(),
  }).map((command) => registry.register(command));
  let address: MiAddress;
  try {
    address = await listenOn(server.app, listen);
  } catch (error) {
    for (const dispose of disposers) dispose();
    await server.app.close().catch(() => undefined);
    throw new HeraldError('HERALD_ERR_CONFIG', `Cannot listen on mi.listen ${config.listen}: ${(error as Error).message}`, { cause: error });
  }
  runtime.shared.set(MI_ADDRESS_KEY, address);
  runtime.logger.info({ url: `${address.url}/mi`, token: auth.source }, 'Management interface listening.');
  runtime.announce(`mi ${address.url}/mi`);
  return {
    name: 'mi',
    stop: async () => {
      server.streams.closeAll();
      await server.app.close();
      for (const dispose of disposers) dispose();
      runtime.shared.delete(MI_ADDRESS_KEY);
    },
  };
};
