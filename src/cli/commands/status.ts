import type { Command } from 'commander';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { formatTable, printJson } from '../table.js';

type StatusAnswer = ReadonlyArray<{
  readonly Name: string;
  readonly Identifiers: ReadonlyArray<{ readonly Name: string; readonly Readiness: boolean; readonly Status: number; readonly Details?: string }>;
}>;

/** `herald status` → sr_list_status: every group and identifier with readiness. */
export function registerStatus(program: Command): void {
  withClientOptions(program
    .command('status')
    .description('Show the status of every status/report group and identifier.'))
    .action(async (flags: ClientFlags) => {
      const client = await clientFrom(flags);
      const answer = await client.call<StatusAnswer>('sr_list_status');
      if (flags.json === true) {
        printJson(answer);
        return;
      }
      const rows = answer.flatMap((group) => group.Identifiers.map((id) => [
        group.Name, id.Name, id.Readiness ? 'ready' : 'not ready', id.Status, id.Details ?? '',
      ]));
      process.stdout.write(`${formatTable(['GROUP', 'IDENTIFIER', 'READY', 'STATUS', 'DETAILS'], rows)}\n`);
    });
}
