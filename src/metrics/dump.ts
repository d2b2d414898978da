import { HeraldError } from '../errors/herald-error.js';
import { DUMP_FIELDS, type DumpField } from './field-stats.js';
import type { GroupView } from './metric.js';
import type { MetricDump } from './metrics.js';

/** `doveadm stats dump`'s default columns (doveadm-stats(1)); `%99` on request. */
export const DEFAULT_DUMP_FIELDS: readonly DumpField[] = ['count', 'sum', 'min', 'max', 'avg', 'median', 'stddev', '%95'];

/** The `stats_dump` answer: Dovecot's table, one row per metric or sub-metric and field. */
export interface DumpTable {
  readonly columns: readonly string[];
  readonly rows: ReadonlyArray<readonly (string | number)[]>;
}

/**
 * Reads `--fields`/`fields`: a comma- or space-separated subset of the dump columns.
 * @throws HeraldError HERALD_ERR_INVALID_PARAMS naming the unknown column.
 */
export function parseDumpFields(text: string | undefined): readonly DumpField[] {
  if (text === undefined || text.trim() === '') return DEFAULT_DUMP_FIELDS;
  return text.split(/[\s,]+/).filter((part) => part !== '').map((part) => {
    if (!(DUMP_FIELDS as readonly string[]).includes(part)) {
      throw new HeraldError('HERALD_ERR_INVALID_PARAMS', `fields: unknown column "${part}" (known: ${DUMP_FIELDS.join(' ')})`);
    }
    return part as DumpField;
  });
}

/** Integers as they are; anything else with two decimals, as doveadm prints avg and stddev. */
function cell(value: number): number {
  return Number.isInteger(value) ? value : Math.round(value * 100) / 100;
}

function addRows(rows: (string | number)[][], view: GroupView, fields: readonly string[], columns: readonly DumpField[]): void {
  fields.forEach((field, i) => {
    rows.push([view.name, field, ...columns.map((column) => cell(view.stats[i].read(column)))]);
  });
  for (const child of view.children) addRows(rows, child, fields, columns);
}

/** The dump table of `dumps`: each metric, then its sub-metrics depth first; `duration` first in each. */
export function dumpTable(dumps: readonly MetricDump[], columns: readonly DumpField[] = DEFAULT_DUMP_FIELDS): DumpTable {
  const rows: (string | number)[][] = [];
  for (const { metric, root } of dumps) addRows(rows, root, metric.fields, columns);
  return { columns: ['metric_name', 'field', ...columns], rows };
}

/** doveadm's tab-separated form: a header line, then one line per row. */
export function formatTsv(table: DumpTable): string {
  return [table.columns, ...table.rows].map((row) => row.join('\t')).join('\n');
}
