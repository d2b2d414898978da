import type { Command } from 'commander';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { formatTable, printJson } from '../table.js';

interface Listed {
  readonly socket: string;
  readonly expire: number | 'never';
  readonly ttl: number | 'never';
  readonly filter?: string;
  readonly mode?: string;
  readonly delivered?: number;
  readonly retries?: number;
  readonly failed?: number;
  readonly dropped?: number;
  readonly spool_bytes?: number;
  readonly spool_oldest_age_ms?: number;
}

interface ListAnswer {
  readonly Events: ReadonlyArray<{ readonly name: string; readonly Subscribers: readonly Listed[] }>;
  readonly Filters: readonly Listed[];
}

const SUBSCRIBER_HEADER = ['SOCKET', 'TARGET', 'MODE', 'EXPIRE', 'TTL', 'DELIVERED', 'RETRIED', 'FAILED', 'DROPPED', 'SPOOL BYTES', 'SPOOL AGE MS'];

function row(sub: Listed, target: string): unknown[] {
  return [
    sub.socket, target, sub.mode ?? 'at-most-once', sub.expire, sub.ttl, sub.delivered ?? '-', sub.retries ?? '-', sub.failed ?? '-', sub.dropped ?? '-',
    sub.spool_bytes ?? '-', sub.spool_oldest_age_ms ?? '-',
  ];
}

/** One row per subscription: socket, what it listens to, delivery mode, expiry, seconds left, delivery counters, spool. */
export function subscriberRows(answer: ListAnswer): unknown[][] {
  return [
    ...answer.Events.flatMap((event) => event.Subscribers.map((sub) => row(sub, event.name))),
    ...answer.Filters.map((sub) => row(sub, `filter ${sub.filter ?? ''}`)),
  ];
}

/** `herald subscribers` → subscribers_list. */
export function registerSubscribers(program: Command): void {
  withClientOptions(program
    .command('subscribers')
    .description('List subscribers: delivery mode, expiry and remaining TTL in seconds, delivered/retried/failed/dropped, and for at-least-once the spool\'s bytes and oldest age.'))
    .action(async (flags: ClientFlags) => {
      const client = await clientFrom(flags);
      const answer = await client.call<ListAnswer>('subscribers_list');
      if (flags.json === true) {
        printJson(answer);
        return;
      }
      const rows = subscriberRows(answer);
      process.stdout.write(rows.length === 0 ? 'no subscribers\n' : `${formatTable(SUBSCRIBER_HEADER, rows)}\n`);
    });
}
