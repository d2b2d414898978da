import { collectDefaultMetrics, Registry, type Metric } from 'prom-client';

/** One sample line: labels and value; `suffix` for histogram lines (`_bucket`, `_sum`, `_count`). */
export interface Sample {
  readonly labels: Readonly<Record<string, string | number>>;
  readonly value: number;
  readonly suffix?: '_bucket' | '_sum' | '_count';
}

/** One metric family as it is exposed: a name, its HELP text, its TYPE and its samples. */
export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'histogram';
  readonly samples: readonly Sample[];
}

/** The Prometheus text format (0.0.4) prom-client writes; `promtool check metrics` reads it. */
export const EXPOSITION_CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const GAUGES_NAMED_TOTAL = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/** A registry with the process metrics (CPU, memory, event loop lag, GC, handles): created once per daemon. */
export function createProcessRegistry(): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // prom-client names three gauges *_total (nodejs_active_handles_total, …), which promtool's lint rejects;
  // the same numbers stay in nodejs_active_handles / _requests / _resources.
  for (const name of GAUGES_NAMED_TOTAL) registry.removeSingleMetric(name);
  return registry;
}

/*
 * Herald's counters and the user-defined metrics change shape at run time
 * (subscribers come and go, stats_add adds a metric), so they are read at
 * scrape time into families and handed to prom-client as snapshot metrics;
 * prom-client formats and escapes everything, the process metrics included.
 */
function snapshotMetric(family: Family): Metric {
  const values = family.samples.map((sample) => ({
    value: sample.value,
    labels: sample.labels,
    metricName: sample.suffix === undefined ? family.name : `${family.name}${sample.suffix}`,
  }));
  const snapshot = { name: family.name, help: family.help, type: family.type, aggregator: 'sum' as const, values };
  // prom-client formats any registered object with name/help/type and get(); its Metric type lists only its classes.
  return { ...snapshot, get: async () => snapshot } as unknown as Metric;
}

/** The whole exposition: process metrics, then `families` in order (a name already taken is skipped, never a failed scrape). */
export async function exposition(processRegistry: Registry, families: readonly Family[]): Promise<string> {
  const snapshots = new Registry();
  const taken = new Set(processRegistry.getMetricsAsArray().map((metric) => metric.name));
  for (const family of families) {
    if (taken.has(family.name)) continue;
    taken.add(family.name);
    snapshots.registerMetric(snapshotMetric(family));
  }
  return Registry.merge([processRegistry, snapshots]).metrics();
}
