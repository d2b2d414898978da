import type { Family, Sample } from './exposition.js';
import type { QuantizedGroupBy } from './group-by.js';
import type { GroupView, Metric } from './metric.js';
import type { MetricDump } from './metrics.js';

/*
 * A user metric `m` as Prometheus sees it (docs/metrics.md, after Dovecot's OpenMetrics export):
 *   herald_m_total{group labels}                    events (counter)
 *   herald_m_duration_seconds_total{…}              sum of duration (µs → s)
 *   herald_m_<field>_total{…}                       sum of each other field
 *   herald_m_<q>_bucket{…, le} / _sum / _count      when the last group_by is quantized on q (q = duration: _duration_seconds)
 * Each series is one group of the tree; what a group holds beyond its children
 * (events that stopped there: a missing quantized value, a full tree) is its own
 * series with fewer labels, so sum() over a metric gives its total.
 */

const RESERVED_LABELS = new Set(['le', 'quantile']);

function labelName(field: string): string {
  return RESERVED_LABELS.has(field) || field.startsWith('__') ? `field_${field}` : field;
}

function fieldFamilyName(metric: string, field: string): string {
  return field === 'duration' ? `herald_${metric}_duration_seconds` : `herald_${metric}_${field}`;
}

/** µs → s for duration; other fields as they are. */
function scaled(field: string, value: number): number {
  return field === 'duration' ? value / 1e6 : value;
}

interface Series {
  readonly labels: Readonly<Record<string, string>>;
  readonly count: number;
  readonly sums: readonly number[];
  /** The histogram children, when the level below is the quantized last group_by. */
  readonly buckets?: readonly GroupView[];
}

function labelsOf(view: GroupView): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [field, value] of view.labels) labels[labelName(field)] = value;
  return labels;
}

/** Every series of one metric: what each group holds beyond its children, or all of it at the series depth. */
function collect(view: GroupView, depth: number, seriesDepth: number, histogram: boolean, out: Series[]): void {
  const total = view.stats[0].count;
  const sums = view.stats.map((stats) => stats.sum);
  if (depth === seriesDepth) {
    out.push({ labels: labelsOf(view), count: total, sums, ...(histogram ? { buckets: view.children } : {}) });
    return;
  }
  let childCount = 0;
  const childSums = sums.map(() => 0);
  for (const child of view.children) {
    childCount += child.stats[0].count;
    child.stats.forEach((stats, i) => { childSums[i] += stats.sum; });
    collect(child, depth + 1, seriesDepth, histogram, out);
  }
  // A string_list level counts an event once here and once per member below: nothing is left over then.
  if (total > childCount) {
    out.push({ labels: labelsOf(view), count: Math.max(0, total - childCount), sums: sums.map((sum, i) => Math.max(0, sum - childSums[i])) });
  }
}

function histogramSamples(series: readonly Series[], group: QuantizedGroupBy, fieldIndex: number): Sample[] {
  const samples: Sample[] = [];
  for (const { labels, buckets } of series) {
    if (buckets === undefined) continue;
    const counts = new Float64Array(group.labels.length);
    let sum = 0;
    for (const bucket of buckets) {
      counts[bucket.bucket ?? 0] += bucket.stats[fieldIndex].count;
      sum += bucket.stats[fieldIndex].sum;
    }
    let cumulative = 0;
    group.bounds.forEach((bound, i) => {
      cumulative += counts[i];
      samples.push({ labels: { ...labels, le: scaled(group.field, bound) }, value: cumulative, suffix: '_bucket' });
    });
    cumulative += counts[counts.length - 1];
    samples.push({ labels: { ...labels, le: '+Inf' }, value: cumulative, suffix: '_bucket' });
    samples.push({ labels, value: scaled(group.field, sum), suffix: '_sum' });
    samples.push({ labels, value: cumulative, suffix: '_count' });
  }
  return samples;
}

function metricFamilies(metric: Metric, root: GroupView): Family[] {
  const name = metric.definition.name;
  const help = metric.definition.description !== '' ? metric.definition.description : `Events matching ${metric.definition.filter}`;
  const last = metric.groupBy[metric.groupBy.length - 1];
  const histogram = last?.kind === 'quantized' ? last : undefined;
  const series: Series[] = [];
  collect(root, 0, histogram !== undefined ? metric.groupBy.length - 1 : metric.groupBy.length, histogram !== undefined, series);
  const families: Family[] = [{
    name: `herald_${name}_total`, help, type: 'counter', samples: series.map((s) => ({ labels: s.labels, value: s.count })),
  }];
  metric.fields.forEach((field, i) => {
    if (field === histogram?.field) return;
    families.push({
      name: `${fieldFamilyName(name, field)}_total`, help: `Sum of ${field} over ${name}.`, type: 'counter',
      samples: series.map((s) => ({ labels: s.labels, value: scaled(field, s.sums[i]) })),
    });
  });
  if (histogram !== undefined) {
    families.push({
      name: fieldFamilyName(name, histogram.field), help: `${name} by ${histogram.field} bucket.`, type: 'histogram',
      samples: histogramSamples(series, histogram, metric.fields.indexOf(histogram.field)),
    });
  }
  return families;
}

/** The user-defined metrics, plus how many groups each holds and how many events found its tree full. */
export function userMetricFamilies(dumps: readonly MetricDump[]): Family[] {
  const families = dumps.flatMap(({ metric, root }) => metricFamilies(metric, root));
  families.push(
    {
      name: 'herald_metric_groups', help: 'Groups (sub-metrics) a user-defined metric holds, itself included.', type: 'gauge',
      samples: dumps.map(({ metric }) => ({ labels: { metric: metric.name }, value: metric.groups })),
    },
    {
      name: 'herald_metric_groups_overflowed_total', help: 'Events that would have created a group beyond max_groups (counted in the parent).',
      type: 'counter', samples: dumps.map(({ metric }) => ({ labels: { metric: metric.name }, value: metric.overflowed })),
    },
  );
  return families;
}
