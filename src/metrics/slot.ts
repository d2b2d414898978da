import type { Metrics } from './metrics.js';

/** The slot the metrics service provides: the user metrics and the whole exposition. */
export const METRICS_SLOT = 'metrics';

/** What GET /metrics (on the MI listener or the scrape-only port) and the MI commands read. */
export interface MetricsEndpoint {
  readonly metrics: Metrics;
  /** The Prometheus text exposition: process metrics, Herald's counters, the user metrics. */
  exposition(): Promise<string>;
}

declare module '../runtime/slots.js' {
  interface Slots {
    [METRICS_SLOT]: MetricsEndpoint;
  }
}
