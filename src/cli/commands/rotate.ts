import type { Command } from 'commander';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { printJson } from '../table.js';

/** `herald rotate PATH` → evi_flat_rotate (what a logrotate postrotate script runs). */
export function registerRotate(program: Command): void {
  withClientOptions(program
    .command('rotate')
    .description('Reopen the flatstore/jsonl file at PATH after it was moved away (logrotate postrotate).')
    .argument('<path>', 'the file path as subscribed, without the transport'))
    .action(async (path: string, flags: ClientFlags) => {
      const client = await clientFrom(flags);
      const answer = await client.call<{ path: string; rotated: number }>('evi_flat_rotate', { path });
      if (flags.json === true) printJson(answer);
      else process.stdout.write(`rotated ${answer.path} (${answer.rotated} file${answer.rotated === 1 ? '' : 's'} reopened)\n`);
    });
}
