import { Value } from '@sinclair/typebox/value';
import { defineCommand, type MiCommand } from '../runtime/mi/command.js';
import { MiParamsError } from '../runtime/mi/params.js';
import { MetricDefinitionSchema, type MetricDefinition } from './definition.js';
import { dumpTable, parseDumpFields } from './dump.js';
import type { Metrics } from './metrics.js';

/** Params of stats_add, checked against the same schema as herald.yaml's metrics.definitions[]. */
function definitionFrom(params: Readonly<Record<string, unknown>>): MetricDefinition {
  const given = Object.fromEntries(Object.entries(params).filter(([, value]) => value !== undefined));
  const candidate = Value.Default(MetricDefinitionSchema, Value.Clone(given));
  const problems = [...Value.Errors(MetricDefinitionSchema, candidate)].map((error) => ({
    param: error.path.replace(/^\//, '').replace(/\//g, '.') || 'params', expected: error.message, received: JSON.stringify(error.value) ?? 'nothing',
  }));
  if (problems.length > 0) throw new MiParamsError(problems);
  return candidate as MetricDefinition;
}

/** `stats_dump`, `stats_add`, `stats_remove`, `stats_list`: doveadm stats, over MI. */
export function metricsCommands(metrics: Metrics): MiCommand[] {
  return [
    defineCommand({
      name: 'stats_dump',
      aliases: ['stats:dump'],
      description: 'The user metrics as `doveadm stats dump` shows them: one row per metric or sub-metric and field. `reset` zeroes them in the same step.',
      params: [
        { name: 'reset', type: 'bool', description: 'Zero the metrics after reading them (atomic: no event is lost or counted twice).' },
        { name: 'fields', type: 'string', description: 'Columns, comma- or space-separated: count sum min max avg median stddev %95 %99 (default all but %99).' },
      ] as const,
      example: {
        params: { fields: 'count,sum,avg' },
        result: { columns: ['metric_name', 'field', 'count', 'sum', 'avg'], rows: [['imap_command', 'duration', 4, 6511, 1627.75], ['imap_command_SELECT', 'duration', 1, 4538, 4538]] },
      },
      handler: ({ reset, fields }) => {
        let columns;
        try {
          columns = parseDumpFields(fields);
        } catch (error) {
          throw new MiParamsError([{ param: 'fields', expected: 'dump columns', received: (error as Error).message }]);
        }
        return dumpTable(metrics.dump(reset === true), columns);
      },
    }),
    defineCommand({
      name: 'stats_add',
      aliases: ['stats:add'],
      description: 'Adds a metric at run time (not saved), as `doveadm stats add`; the same keys as herald.yaml metrics.definitions[].',
      params: [
        { name: 'name', type: 'string', required: true, description: 'Metric name, [a-zA-Z_][a-zA-Z0-9_]*.' },
        { name: 'filter', type: 'string', required: true, description: 'Which events count (docs/filters.md).' },
        { name: 'fields', type: 'array', description: 'Numeric params to aggregate besides duration.' },
        { name: 'group_by', type: 'array', description: 'field, field:exponential:min:max:base or field:linear:min:max:step.' },
        { name: 'description', type: 'string', description: 'HELP text of the exported metrics.' },
        { name: 'max_groups', type: 'int', minimum: 1, description: 'Most sub-metrics (default 1000).' },
        { name: 'idle_expire_ms', type: 'int', minimum: 0, description: 'Free a group after this long without events (default 3600000; 0 never).' },
      ] as const,
      example: {
        params: { name: 'imap_command', filter: 'event=imap_command_finished', group_by: ['name', 'running_usecs:exponential:1:5:10'] },
        result: { added: 'imap_command' },
      },
      handler: (params) => {
        const metric = metrics.add(definitionFrom(params), 'params');
        return { added: metric.name };
      },
    }),
    defineCommand({
      name: 'stats_remove',
      aliases: ['stats:remove'],
      description: 'Removes a metric and its numbers, as `doveadm stats remove`.',
      params: [{ name: 'name', type: 'string', required: true, description: 'The metric to remove.' }] as const,
      example: { params: { name: 'imap_command' }, result: { removed: true } },
      handler: ({ name }) => ({ removed: metrics.remove(name) }),
    }),
    defineCommand({
      name: 'stats_list',
      aliases: ['stats:list'],
      description: 'The metric definitions, with how many groups each holds and how many events found its group tree full.',
      params: [] as const,
      example: {
        result: [{
          name: 'imap_command', filter: 'event=imap_command_finished', fields: [], group_by: ['name'], description: '',
          max_groups: 1000, idle_expire_ms: 3600000, groups: 5, overflowed: 0,
        }],
      },
      handler: () => {
        metrics.flush();
        return metrics.list().map((metric) => ({ ...metric.definition, groups: metric.groups, overflowed: metric.overflowed }));
      },
    }),
  ];
}
