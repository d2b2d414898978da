import type { Command } from 'commander';
import { CliExit, EXIT } from '../exit-codes.js';
import { parseSeconds } from '../key-values.js';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { printJson } from '../table.js';

interface SubscribeFlags extends ClientFlags {
  readonly event?: string;
  readonly filter?: string;
  readonly expire?: string;
  readonly delivery?: string;
}

interface SubscribeAnswer {
  readonly action: 'subscribed' | 'refreshed' | 'unsubscribed';
  readonly socket: string;
  readonly event?: string;
  readonly filter?: string;
  readonly expire?: number | 'never';
  readonly removed?: number;
}

function describe(answer: SubscribeAnswer): string {
  if (answer.action === 'unsubscribed') return `unsubscribed ${answer.socket} (${answer.removed ?? 0} removed)`;
  const target = answer.event ?? `filter ${answer.filter ?? ''}`;
  const expiry = answer.expire === 'never' ? 'never expires' : `expires in ${answer.expire} s`;
  return `${answer.action} ${answer.socket} to ${target}; ${expiry}`;
}

/** `herald subscribe SOCKET (--event E | --filter F) [--expire S]` → event_subscribe. */
export function registerSubscribe(program: Command): void {
  withClientOptions(program
    .command('subscribe')
    .description('Subscribe a socket to an event or a filter; again to refresh it, --expire 0 to remove it. Lapses after 3600 s unless --expire says otherwise; kept across daemon restarts (<data_dir>/subscriptions.json).')
    .argument('<socket>', 'transport:address[?option=value&…], e.g. flatstore:/var/log/herald/ev.csv')
    .option('--event <name>', 'event name')
    .option('--filter <expression>', 'filter expression, e.g. \'level>=warning\'')
    .option('--expire <seconds>', 'seconds until it lapses (default 3600; 0 unsubscribes)')
    .option('--delivery <mode>', 'at-most-once (default) or at-least-once: a disk spool that survives restarts'))
    .action(async (socket: string, flags: SubscribeFlags) => {
      if ((flags.event === undefined) === (flags.filter === undefined)) {
        throw new CliExit(EXIT.USAGE, 'herald subscribe: give exactly one of --event or --filter');
      }
      const params: Record<string, unknown> = { socket };
      if (flags.event !== undefined) params.event = flags.event;
      if (flags.filter !== undefined) params.filter = flags.filter;
      if (flags.expire !== undefined) params.expire = parseSeconds(flags.expire, '--expire');
      if (flags.delivery !== undefined) params.delivery = flags.delivery;
      const client = await clientFrom(flags);
      const answer = await client.call<SubscribeAnswer>('event_subscribe', params);
      if (flags.json === true) printJson(answer);
      else process.stdout.write(`${describe(answer)}\n`);
    });
}
