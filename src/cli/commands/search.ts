import type { Command } from 'commander';
import { join, resolve } from 'node:path';
import type { EventSearchResult } from '../../backends/event-store/search.js';
import type { SqlEventStore } from '../../backends/event-store/sql-event-store.js';
import { loadConfig } from '../../config/load.js';
import { isHeraldError } from '../../errors/herald-error.js';
import { parseTimeBound } from '../../trace/search.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatTable, printJson } from '../table.js';

interface SearchFlags {
  readonly config?: string;
  readonly store?: string;
  readonly table?: string;
  readonly since?: string;
  readonly until?: string;
  readonly limit?: string;
  readonly json?: boolean;
}

/** The store `herald serve` keeps with the embedded defaults: sqlite:<data_dir>/events.db. */
async function defaultStoreUrl(configPath: string | undefined): Promise<string> {
  const { config } = await loadConfig(configPath);
  const { DEFAULT_EVENT_STORE_FILE } = await import('../../backends/event-store/open.js');
  return `sqlite:${join(resolve(config.data_dir), DEFAULT_EVENT_STORE_FILE)}`;
}

async function openStore(flags: SearchFlags): Promise<SqlEventStore> {
  const url = flags.store ?? await defaultStoreUrl(flags.config);
  // The store drivers load on use, so the other verbs start without them.
  const { maskPassword, openEventStore } = await import('../../backends/event-store/open.js');
  try {
    return await openEventStore(url, flags.table ?? 'herald_events', 'read');
  } catch (error) {
    if (isHeraldError(error) && error.code === 'HERALD_ERR_NOT_FOUND') throw new CliExit(EXIT.SERVER_ERROR, `herald: ${error.message}`);
    if (isHeraldError(error)) throw new CliExit(EXIT.USAGE, `herald: ${error.message}`);
    throw new CliExit(EXIT.CANNOT_CONNECT, `herald: cannot open the event store ${maskPassword(url)}: ${(error as Error).message}`);
  }
}

function parseLimit(text: string | undefined): number {
  if (text === undefined) return 100;
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) throw new CliExit(EXIT.USAGE, `herald: --limit must be an integer from 1 to 100000, got "${text}"`);
  return limit;
}

function paramsText(params: Readonly<Record<string, unknown>>): string {
  return Object.entries(params).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`).join(' ');
}

function printEvents(result: EventSearchResult): void {
  if (result.events.length === 0) process.stdout.write('No events match.\n');
  else {
    const rows = result.events.map((e) => [e.time, e.level, e.type, e.sourceId, e.summary ?? '', paramsText(e.params)]);
    process.stdout.write(`${formatTable(['TIME', 'LEVEL', 'EVENT', 'SOURCE', 'SUMMARY', 'PARAMS'], rows)}\n`);
  }
  if (result.truncated) process.stderr.write(`herald: stopped after reading ${result.scanned} events; narrow the time range to see older matches\n`);
}

/** `herald search [FILTER]`: the event store, read directly (works while the daemon is down). */
export function registerSearch(program: Command): void {
  program
    .command('search')
    .description('Search stored events, newest first, by filter expression (docs/filters.md) and time range.')
    .argument('[filter]', 'filter expression, e.g. \'level>=warning AND event=E_CORE_*\'; omitted: every event')
    .option('-c, --config <path>', 'config file whose data_dir holds events.db (default: $HERALD_CONFIG, else embedded defaults)')
    .option('--store <url>', 'read this store instead: sqlite:PATH, postgres://…, mysql://…')
    .option('--table <name>', 'event table (default herald_events)')
    .option('--since <time>', 'from this time: ISO 8601, Unix seconds, or an age such as 15m, 2h, 7d')
    .option('--until <time>', 'before this time (same forms)')
    .option('--limit <n>', 'most events shown (default 100)')
    .option('--json', 'print JSON for scripts')
    .action(async (filter: string | undefined, flags: SearchFlags) => {
      const limit = parseLimit(flags.limit);
      let bounds: { sinceUs?: number; untilUs?: number };
      try {
        bounds = {
          sinceUs: flags.since === undefined ? undefined : parseTimeBound(flags.since),
          untilUs: flags.until === undefined ? undefined : parseTimeBound(flags.until),
        };
      } catch (error) {
        throw new CliExit(EXIT.USAGE, `herald: ${(error as Error).message}`);
      }
      const store = await openStore(flags);
      const { searchEvents } = await import('../../backends/event-store/search.js');
      let result: EventSearchResult;
      try {
        result = await searchEvents(store, { filter, limit, ...bounds });
      } catch (error) {
        throw new CliExit(EXIT.USAGE, `herald: bad filter: ${(error as Error).message}`);
      } finally {
        await store.close();
      }
      if (flags.json === true) printJson(result.events);
      else printEvents(result);
    });
}
