import type { Command } from 'commander';
import { clientFrom, withClientOptions, type ClientFlags } from '../mi-client.js';
import { formatTable, printJson } from '../table.js';
import { registerStatsDump } from './stats-dump.js';

interface StatsAnswer {
  readonly totals: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
  readonly events: Readonly<Record<string, { readonly raised: number; readonly delivered: number; readonly dropped: number; readonly failed: number }>>;
  readonly subscribers: ReadonlyArray<{
    readonly socket: string; readonly event?: string; readonly filter?: string; readonly matched: number; readonly delivered: number;
    readonly dropped: number; readonly failed: number; readonly retries: number; readonly queue_depth: number;
    readonly mode?: string; readonly spool_bytes?: number; readonly spool_oldest_age_ms?: number;
  }>;
  readonly ingest: Readonly<Record<string, Readonly<Record<string, number>>>>;
  readonly stream: Readonly<Record<string, number>>;
}

/** Totals as one table row; a nested count (discarded by reason) becomes one `a/b/c` cell headed `NAME (A/B/C)`. */
function totalsRow(totals: StatsAnswer['totals']): [string[], Array<string | number>] {
  const entries = Object.entries(totals);
  const header = entries.map(([key, value]) => (typeof value === 'number' ? key : `${key} (${Object.keys(value).join('/')})`).toUpperCase());
  return [header, entries.map(([, value]) => (typeof value === 'number' ? value : Object.values(value).join('/')))];
}

function sections(answer: StatsAnswer): string[] {
  const [header, row] = totalsRow(answer.totals);
  const out = [formatTable(header, [row])];
  const events = Object.entries(answer.events).map(([name, entry]) => [name, entry.raised, entry.delivered, entry.dropped, entry.failed]);
  if (events.length > 0) out.push(formatTable(['EVENT', 'RAISED', 'DELIVERED', 'DROPPED', 'FAILED'], events));
  const subscribers = answer.subscribers.map((sub) => [
    sub.socket, sub.event ?? `filter ${sub.filter ?? ''}`, sub.mode ?? 'at-most-once', sub.matched, sub.delivered, sub.dropped, sub.failed, sub.retries,
    sub.queue_depth, sub.spool_bytes ?? '-', sub.spool_oldest_age_ms ?? '-',
  ]);
  if (subscribers.length > 0) {
    out.push(formatTable(['SOCKET', 'TARGET', 'MODE', 'MATCHED', 'DELIVERED', 'DROPPED', 'FAILED', 'RETRIES', 'QUEUE', 'SPOOL BYTES', 'SPOOL AGE MS'], subscribers));
  }
  const ingest = Object.entries(answer.ingest).flatMap(([source, counters]) => Object.entries(counters).map(([name, value]) => [source, name, value]));
  if (ingest.length > 0) out.push(formatTable(['SOURCE', 'COUNTER', 'VALUE'], ingest));
  out.push(formatTable(['STREAM CLIENTS', 'SENT', 'DROPPED'], [[answer.stream.clients, answer.stream.sent, answer.stream.dropped]]));
  return out;
}

/** `herald stats` → get_statistics, as a few aligned tables. */
export function registerStats(program: Command): void {
  const stats = program
    .command('stats')
    .description('Show events raised, delivered, dropped and failed per event and per subscriber, queue depths and ingest counters; `stats dump` shows the user metrics.');
  registerStatsDump(stats);
  withClientOptions(stats)
    .action(async (flags: ClientFlags) => {
      const client = await clientFrom(flags);
      const answer = await client.call<StatsAnswer>('get_statistics');
      if (flags.json === true) printJson(answer);
      else process.stdout.write(`${sections(answer).join('\n\n')}\n`);
    });
}
