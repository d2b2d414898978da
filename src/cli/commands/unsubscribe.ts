import type { Command } from 'commander';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { printJson } from '../table.js';

interface UnsubscribeFlags extends ClientFlags {
  readonly event?: string;
  readonly filter?: string;
}

/** `herald unsubscribe SOCKET [--event E | --filter F]` → event_unsubscribe. */
export function registerUnsubscribe(program: Command): void {
  withClientOptions(program
    .command('unsubscribe')
    .description('Remove a socket\'s subscriptions: all of them, or only the one to --event or --filter.')
    .argument('<socket>', 'the subscriber socket')
    .option('--event <name>', 'only the subscription to this event')
    .option('--filter <expression>', 'only the subscription with this filter'))
    .action(async (socket: string, flags: UnsubscribeFlags) => {
      const params: Record<string, unknown> = { socket };
      if (flags.event !== undefined) params.event = flags.event;
      if (flags.filter !== undefined) params.filter = flags.filter;
      const client = await clientFrom(flags);
      const answer = await client.call<{ socket: string; removed: number }>('event_unsubscribe', params);
      if (flags.json === true) printJson(answer);
      else process.stdout.write(`removed ${answer.removed} subscription${answer.removed === 1 ? '' : 's'} of ${answer.socket}\n`);
    });
}
