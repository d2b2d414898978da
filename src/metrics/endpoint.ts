import type { Bus } from '../bus/bus.js';
import type { IngestCounters } from '../runtime/ingest-counters.js';
import type { UdpCollectors } from '../runtime/udp-collectors.js';
import { createProcessRegistry, exposition } from './exposition.js';
import { busFamilies, collectorFamilies, ingestFamilies } from './herald-families.js';
import { userMetricFamilies } from './metric-families.js';
import type { Metrics } from './metrics.js';
import type { MetricsEndpoint } from './slot.js';

export interface EndpointSources {
  readonly bus: Bus;
  readonly metrics: Metrics;
  /** Read at each scrape: sources register and leave while the daemon runs. */
  readonly ingest: () => IngestCounters | undefined;
  /** The UDP collector sockets' kernel counters, read at each scrape too. */
  readonly collectors?: () => UdpCollectors | undefined;
}

/**
 * The exposition of a daemon, read at scrape time from the same counters
 * get_statistics answers with (one source of truth) and the user metrics.
 */
export function createMetricsEndpoint(sources: EndpointSources): MetricsEndpoint {
  const processRegistry = createProcessRegistry();
  return {
    metrics: sources.metrics,
    exposition: () => exposition(processRegistry, [
      ...busFamilies(sources.bus.statistics()),
      ...ingestFamilies(sources.ingest()?.snapshot() ?? {}),
      ...collectorFamilies(sources.collectors?.()?.list() ?? []),
      ...userMetricFamilies(sources.metrics.dump()),
    ]),
  };
}
