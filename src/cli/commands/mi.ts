import type { Command } from 'commander';
import { parseMiParams } from '../key-values.js';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { printJson } from '../table.js';

/** `herald mi COMMAND [key=value … | value …]`: a raw management interface call; prints the JSON result. */
export function registerMi(program: Command): void {
  withClientOptions(program
    .command('mi')
    .description('Call a management interface command and print its JSON result (`herald mi which` lists them).')
    .argument('<command>', 'command name or alias, e.g. subscribers_list or evi:subscribers')
    .argument('[params...]', 'key=value (the server types the value) or key:=JSON; or plain values, in the order the command declares its params'))
    .action(async (method: string, args: string[], flags: ClientFlags) => {
      const params = parseMiParams(args);
      const client = await clientFrom(flags);
      printJson(await client.call(method, params));
    });
}
