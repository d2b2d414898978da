import type { MetricDefinition } from './schema.js';
import { compileFilter, type CompiledFilter } from '../bus/filter/index.js';
import { HeraldError, toError } from '../errors/herald-error.js';
import { parseGroupBy, type GroupBy } from './group-by.js';

// The schema lives in schema.ts (config reads it); the rest of the metrics code imports it from here as before.
export { METRIC_DEFAULTS, MetricDefinitionSchema } from './schema.js';
export type { MetricDefinition } from './schema.js';

/** Herald's own metric families are `herald_<prefix>…`: a user metric may not take these names. */
const RESERVED_PREFIXES = ['events_', 'subscriber_', 'ingest', 'metric_'] as const;

/** A definition checked and compiled once: what the aggregation runs on. */
export interface CompiledDefinition {
  readonly definition: MetricDefinition;
  readonly filter: CompiledFilter;
  /** `duration` first, then the definition's fields (a quantized group_by field is added when not listed). */
  readonly fields: readonly string[];
  readonly groupBy: readonly GroupBy[];
}

/**
 * Compiles a definition. `path` names it in errors (`metrics.definitions[2]`).
 * @throws HeraldError HERALD_ERR_CONFIG naming the key and what is wrong.
 */
export function compileDefinition(definition: MetricDefinition, path: string): CompiledDefinition {
  const taken = RESERVED_PREFIXES.find((prefix) => definition.name.startsWith(prefix));
  if (taken !== undefined) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${path}.name: "${definition.name}" would clash with Herald's own herald_${taken}… metrics`);
  }
  let filter: CompiledFilter;
  try {
    filter = compileFilter(definition.filter);
  } catch (error) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${path}.filter: ${toError(error).message}`, { cause: error });
  }
  const groupBy = definition.group_by.map((token, i) => parseGroupBy(token, `${path}.group_by[${i}]`));
  const fields = ['duration'];
  for (const field of [...definition.fields, ...groupBy.filter((g) => g.kind === 'quantized').map((g) => g.field)]) {
    if (!fields.includes(field)) fields.push(field);
  }
  return { definition, filter, fields, groupBy };
}
