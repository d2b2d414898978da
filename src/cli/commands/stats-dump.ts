import type { Command } from 'commander';
import { formatTsv, type DumpTable } from '../../metrics/dump.js';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { formatTable, printJson } from '../table.js';

interface DumpFlags extends ClientFlags {
  readonly reset?: boolean;
  readonly fields?: string;
  readonly tsv?: boolean;
}

/** `herald stats dump [--reset] [--fields …] [--tsv]` → stats_dump, as `doveadm stats dump` prints it. */
export function registerStatsDump(stats: Command): void {
  withClientOptions(stats
    .command('dump')
    .description('Show the user metrics as `doveadm stats dump` does: one row per metric or sub-metric and field.')
    .option('--reset', 'zero the metrics in the same step as reading them')
    .option('--fields <columns>', 'columns: count,sum,min,max,avg,median,stddev,%95,%99 (default all but %99)')
    .option('--tsv', 'tab-separated, with a header line (doveadm\'s format)'))
    .action(async (flags: DumpFlags) => {
      const client = await clientFrom(flags);
      const table = await client.call<DumpTable>('stats_dump', {
        ...(flags.reset === true ? { reset: true } : {}),
        ...(flags.fields !== undefined ? { fields: flags.fields } : {}),
      });
      if (flags.json === true) printJson(table);
      else if (flags.tsv === true) process.stdout.write(`${formatTsv(table)}\n`);
      else process.stdout.write(`${formatTable(table.columns, table.rows)}\n`);
    });
}
