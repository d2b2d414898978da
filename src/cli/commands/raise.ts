import type { Command } from 'commander';
import { parseKeyValues } from '../key-values.js';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { printJson } from '../table.js';

/** `herald raise EVENT key=value …` → raise_event; the daemon types each value by the catalogue. */
export function registerRaise(program: Command): void {
  withClientOptions(program
    .command('raise')
    .description('Raise an event; each key=value is typed by the catalogue (e.g. pid=1 becomes an int).')
    .argument('<event>', 'event name, e.g. E_CORE_LOG')
    .argument('[params...]', 'key=value for each param'))
    .action(async (event: string, pairs: string[], flags: ClientFlags) => {
      const params = parseKeyValues(pairs);
      const client = await clientFrom(flags);
      const answer = await client.call<{ event: string; subscribers: number }>('raise_event', { event, params, from_text: true });
      if (flags.json === true) printJson(answer);
      else process.stdout.write(`raised ${answer.event} to ${answer.subscribers} subscriber${answer.subscribers === 1 ? '' : 's'}\n`);
    });
}
