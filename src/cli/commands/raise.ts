import type { Command } from 'commander';
import { parseKeyValues } from '../key-values.js';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { printJson } from '../table.js';

interface RaiseFlags extends ClientFlags {
  readonly sourceId?: string;
  readonly level?: string;
  readonly cause?: string;
  readonly snapshot?: string;
}

/** `herald raise EVENT key=value …` → raise_event; the daemon types each value by the catalogue and checks the record fields. */
export function registerRaise(program: Command): void {
  withClientOptions(program
    .command('raise')
    .description('Raise an event; each key=value is typed by the catalogue (e.g. pid=1 becomes an int; a time param takes `now`).')
    .argument('<event>', 'event name, e.g. E_CORE_LOG')
    .argument('[params...]', 'key=value for each param')
    .option('--source-id <id>', 'who raised it (the record\'s sourceId; default herald)')
    .option('--level <level>', 'level instead of the catalogue\'s (warning, warn, err, crit, …)')
    .option('--cause <text>', 'why it happened (the record\'s cause)')
    .option('--snapshot <json>', 'state at the time, a JSON object (the record\'s snapshot)'))
    .action(async (event: string, pairs: string[], flags: RaiseFlags) => {
      const params = parseKeyValues(pairs);
      const client = await clientFrom(flags);
      const answer = await client.call<{ event: string; subscribers: number }>('raise_event', {
        event, params, from_text: true,
        ...(flags.sourceId !== undefined ? { source_id: flags.sourceId } : {}),
        ...(flags.level !== undefined ? { level: flags.level } : {}),
        ...(flags.cause !== undefined ? { cause: flags.cause } : {}),
        ...(flags.snapshot !== undefined ? { snapshot: flags.snapshot } : {}),
      });
      if (flags.json === true) printJson(answer);
      else process.stdout.write(`raised ${answer.event} to ${answer.subscribers} subscriber${answer.subscribers === 1 ? '' : 's'}\n`);
    });
}
