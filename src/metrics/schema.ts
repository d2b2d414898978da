/* The metric definition's schema alone, so config can read it without the filter compiler and the bus. */
import { Type, type Static } from '@sinclair/typebox';

/** Defaults of a metric definition's limits (fixed in docs/metrics.md). */
export const METRIC_DEFAULTS = { max_groups: 1000, idle_expire_ms: 3_600_000 } as const;

/** One metric, as herald.yaml `metrics.definitions[]` and MI `stats_add` take it (Dovecot's `metric { … }`). */
export const MetricDefinitionSchema = Type.Object({
  name: Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$', description: 'Metric name; exported as `herald_<name>_…`.' }),
  filter: Type.String({ minLength: 1, description: 'Which events count, in the filter language (docs/filters.md). Required, as in Dovecot.' }),
  fields: Type.Array(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), {
    default: [],
    description: 'Numeric params to aggregate besides `duration`, which is always there (0 for events without one).',
  }),
  group_by: Type.Array(Type.String({ minLength: 1 }), {
    default: [],
    description: 'Sub-metrics per value: `field` (discrete), `field:exponential:min:max:base` or `field:linear:min:max:step` (Dovecot semantics).',
  }),
  description: Type.String({ default: '', description: 'Shown as the HELP text of the exported metrics.' }),
  max_groups: Type.Integer({
    minimum: 1, default: METRIC_DEFAULTS.max_groups,
    description: 'Most sub-metrics (groups at every level); an event that would create one more is counted in its parent and in `overflowed`.',
  }),
  idle_expire_ms: Type.Integer({
    minimum: 0, default: METRIC_DEFAULTS.idle_expire_ms,
    description: 'A group that sees no event for this long (to twice this) is freed, its numbers folded into its parent. 0: never.',
  }),
}, { additionalProperties: false });

export type MetricDefinition = Static<typeof MetricDefinitionSchema>;
