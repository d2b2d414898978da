import type { Command } from 'commander';
import { delimiterProblem } from '../../backends/flatstore/encode.js';
import { readFlatstore, type FlatRecord } from '../../backends/flatstore/reader.js';
import { createDefaultCatalogue } from '../../events/packs/index.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatTable, printJson } from '../table.js';

interface FlatReadFlags {
  delimiter: string;
  suppressEventName?: boolean;
  json?: boolean;
}

function cell(value: unknown): string {
  const text = typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
  return /[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text;
}

/** `name=value …` for decoded events, else the raw columns. */
function paramsText(record: FlatRecord): string {
  if (record.params === undefined) return record.values.map(cell).join(' ');
  return Object.entries(record.params).map(([name, value]) => `${name}=${cell(value)}`).join(' ');
}

async function readOrExit(file: string, flags: FlatReadFlags): Promise<FlatRecord[]> {
  const problem = delimiterProblem(flags.delimiter);
  if (problem !== undefined) throw new CliExit(EXIT.USAGE, `herald flat read: --delimiter ${problem}`);
  try {
    return await readFlatstore(file, { delimiter: flags.delimiter, suppressEventName: flags.suppressEventName === true, catalogue: createDefaultCatalogue() });
  } catch (error) {
    throw new CliExit(EXIT.USAGE, `herald flat read: cannot read ${file}: ${(error as Error).message}`);
  }
}

/** `herald flat read FILE`: splits a flatstore file back into events (unescaping values); skips a torn last line. */
export function registerFlat(program: Command): void {
  const flat = program.command('flat').description('Work with flatstore files.');
  flat
    .command('read')
    .description('Print the events of a flatstore file, values unescaped and named by the catalogue; a torn last line is skipped.')
    .argument('<file>', 'the flatstore file')
    .option('-d, --delimiter <delimiter>', 'the delimiter the file was written with', ',')
    .option('--suppress-event-name', 'the file was written with suppress_event_name (no name column)')
    .option('--json', 'print the records as JSON: [{event, values, params}]')
    .action(async (file: string, flags: FlatReadFlags) => {
      const records = await readOrExit(file, flags);
      if (flags.json === true) {
        printJson(records);
        return;
      }
      const rows = records.map((record) => [record.event ?? '', paramsText(record)]);
      process.stdout.write(`${formatTable(['EVENT', 'PARAMS'], rows)}\n`);
    });
}
