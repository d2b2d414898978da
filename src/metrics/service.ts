import { HeraldError } from '../errors/herald-error.js';
import { INGEST_COUNTERS_SLOT } from '../runtime/ingest-counters.js';
import { UDP_COLLECTORS_SLOT } from '../runtime/udp-collectors.js';
import { isLoopbackHost, listenError, parseListen } from '../runtime/listen.js';
import { MI_COMMANDS_SLOT, miCommandRegistry } from '../runtime/mi/registry.js';
import { defineService, type Runtime, type Service } from '../runtime/service.js';
import { metricsCommands } from './commands.js';
import { createMetricsEndpoint } from './endpoint.js';
import { Metrics } from './metrics.js';
import { startScrapeServer } from './scrape-server.js';
import { METRICS_SLOT } from './slot.js';
import { httpLimitsOf } from '../runtime/http-limits.js';

/*
 *  metrics: config definitions ─▶ Metrics (one bus observer) ─▶ slot `metrics`
 *                                                                 ├─▶ GET /metrics on the MI listener (mi/server.ts)
 *                                                                 ├─▶ GET /metrics on metrics.listen (scrape-only)
 *                                                                 └─▶ MI stats_dump / stats_add / stats_remove / stats_list
 */

async function startScrapePort(runtime: Runtime, endpoint: ReturnType<typeof createMetricsEndpoint>) {
  const config = runtime.config.metrics;
  if (config.listen === undefined) return undefined;
  const listen = parseListen(config.listen, 'metrics.listen');
  if (!isLoopbackHost(listen.host) && config.token === undefined) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: metrics.listen ${config.listen} is not loopback: set metrics.token (scrapers send it as a bearer token)`);
  }
  try {
    const server = await startScrapeServer({ endpoint, listen, token: config.token, allowedHosts: config.allowed_hosts, limits: httpLimitsOf(config, 'metrics.') });
    runtime.announce(`metrics ${server.url}/metrics`);
    return server;
  } catch (error) {
    throw listenError('metrics.listen', config.listen, error);
  }
}

async function startMetrics(runtime: Runtime): Promise<Service> {
  const config = runtime.config.metrics;
  const metrics = new Metrics({ bus: runtime.bus });
  config.definitions.forEach((definition, i) => metrics.add(definition, `metrics.definitions[${i}]`));
  const endpoint = createMetricsEndpoint({
    bus: runtime.bus, metrics, ingest: () => runtime.slots.get(INGEST_COUNTERS_SLOT),
    collectors: () => runtime.slots.get(UDP_COLLECTORS_SLOT),
  });
  const scrape = await startScrapePort(runtime, endpoint).catch((error: unknown) => {
    metrics.close();
    throw error;
  });
  runtime.slots.set(METRICS_SLOT, endpoint);
  const registry = miCommandRegistry(runtime.slots);
  const unregister = metricsCommands(metrics).map((command) => registry.register(command));
  const sweeper = setInterval(() => metrics.sweep(), config.sweep_interval_ms);
  sweeper.unref();
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweeper);
      for (const dispose of unregister) dispose();
      runtime.slots.delete(METRICS_SLOT);
      metrics.close();
      await scrape?.app.close();
    })();
    return closing;
  };
  return {
    name: 'metrics',
    close,
    destroy: async () => {
      scrape?.app.server.closeAllConnections();
      await close();
    },
  };
}

/**
 * User-defined metrics from events and the Prometheus exposition (docs/metrics.md).
 * @throws HeraldError HERALD_ERR_CONFIG for a bad definition (naming metrics.definitions[i]…)
 *   or a bad/busy metrics.listen, or a non-loopback one without metrics.token.
 */
export const startMetricsService = defineService({
  name: 'metrics',
  provides: [METRICS_SLOT],
  uses: [MI_COMMANDS_SLOT, INGEST_COUNTERS_SLOT],
  start: startMetrics,
});
