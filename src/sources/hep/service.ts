import { HeraldError } from '../../errors/herald-error.js';
import { registerIngestCounters } from '../../runtime/ingest-counters.js';
import { parseListen } from '../../runtime/listen.js';
import type { Runtime, Service, ServiceStarter } from '../../runtime/service.js';
import { sharedTracer } from '../../trace/tracer-service.js';
import type { Tracer } from '../../trace/tracer.js';
import { sharedSipParsePool } from '../pooled-parse.js';
import { HepCollector } from './collector.js';
import { listenHep } from './listeners.js';

/** `runtime.shared` key of the bound address (port 0 resolved), for tests and status. */
export const HEP_ADDRESS_KEY = 'hep.address';

export interface ListenerAddress {
  readonly host: string;
  readonly port: number;
}

/** The tracer a collector feeds. @throws HeraldError HERALD_ERR_CONFIG when tracing is switched off. */
export function requireTracer(runtime: Runtime, what: string): Tracer {
  const tracer = sharedTracer(runtime);
  if (tracer === undefined) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${what} needs the trace store (trace.enabled: true), or set ${what}.enabled: false`);
  }
  return tracer;
}

/**
 * The HEP collector: UDP and TCP on `hep.listen` (default 127.0.0.1:9060), HEP
 * v1/v2/v3, packets to the daemon's tracer. Counters go to get_statistics as `hep`.
 */
export const startHepService: ServiceStarter = async (runtime): Promise<Service | undefined> => {
  const config = runtime.config.hep;
  if (!config.enabled) return undefined;
  const tracer = requireTracer(runtime, 'hep');
  const { host, port } = parseListen(config.listen, 'hep.listen');
  const pool = sharedSipParsePool(runtime);
  const collector = new HepCollector({ tracer, bus: runtime.bus, logger: runtime.logger, authKey: config.auth_key, pool });
  const listeners = await listenHep(host, port, collector, config.max_connections).catch((error: Error) => {
    throw new HeraldError('HERALD_ERR_CONFIG', `Cannot listen for HEP on ${config.listen} (hep.listen): ${error.message}`, { cause: error });
  });
  const address: ListenerAddress = { host: listeners.host, port: listeners.port };
  runtime.shared.set(HEP_ADDRESS_KEY, address);
  const unregister = registerIngestCounters(runtime.shared, 'hep', () => collector.counters.snapshot());
  runtime.announce(`hep udp+tcp ${host.includes(':') ? `[${host}]` : host}:${listeners.port}${config.auth_key !== undefined ? ' (auth key required)' : ''}`);
  let stopping: Promise<void> | undefined;
  return {
    name: 'hep',
    stop: () => {
      // Packets already received are still in the parse pool: the tracer (stopped after this service) gets them first.
      stopping ??= listeners.close().then(() => collector.drain()).finally(() => {
        unregister();
        runtime.shared.delete(HEP_ADDRESS_KEY);
      });
      return stopping;
    },
  };
};
