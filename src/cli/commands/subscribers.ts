import type { Command } from 'commander';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { formatTable, printJson } from '../table.js';

interface Listed {
  readonly socket: string;
  readonly expire: number | 'never';
  readonly ttl: number | 'never';
  readonly filter?: string;
}

interface ListAnswer {
  readonly Events: ReadonlyArray<{ readonly name: string; readonly Subscribers: readonly Listed[] }>;
  readonly Filters: readonly Listed[];
}

/** One row per subscription: socket, what it listens to, expiry, seconds left. */
export function subscriberRows(answer: ListAnswer): unknown[][] {
  return [
    ...answer.Events.flatMap((event) => event.Subscribers.map((sub) => [sub.socket, event.name, sub.expire, sub.ttl])),
    ...answer.Filters.map((sub) => [sub.socket, `filter ${sub.filter ?? ''}`, sub.expire, sub.ttl]),
  ];
}

/** `herald subscribers` → subscribers_list. */
export function registerSubscribers(program: Command): void {
  withClientOptions(program
    .command('subscribers')
    .description('List subscribers with their expiry and remaining TTL in seconds.'))
    .action(async (flags: ClientFlags) => {
      const client = await clientFrom(flags);
      const answer = await client.call<ListAnswer>('subscribers_list');
      if (flags.json === true) {
        printJson(answer);
        return;
      }
      const rows = subscriberRows(answer);
      process.stdout.write(rows.length === 0 ? 'no subscribers\n' : `${formatTable(['SOCKET', 'TARGET', 'EXPIRE', 'TTL'], rows)}\n`);
    });
}
