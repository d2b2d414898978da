import type { Command } from 'commander';
import { loadConfig } from '../../config/load.js';
import { isHeraldError } from '../../errors/herald-error.js';
import { renderLadder } from '../../trace/ladder-render.js';
import { searchTraces, showCall, type SearchHit, type SearchInput } from '../../trace/search.js';
import type { TraceStore } from '../../trace/store/types.js';
import { CliExit, EXIT } from '../exit-codes.js';
import { formatTable, printJson } from '../table.js';
import { registerTraceControl } from './trace-control.js';

interface StoreFlags {
  readonly config?: string;
  readonly store?: string;
  readonly table?: string;
  readonly json?: boolean;
}

/** The search criteria as commander hands them over: every flag is text. */
type SearchFlags = StoreFlags & { readonly [K in keyof SearchInput]?: string };

/** --config, --store, --table, --json: which store to read (the same one `herald serve` writes). */
function withStoreOptions(command: Command): Command {
  return command
    .option('-c, --config <path>', 'config file naming the store (default: $HERALD_CONFIG, else embedded defaults)')
    .option('--store <url>', 'read this store instead: sqlite:PATH, postgres://…, mysql://…')
    .option('--table <name>', 'trace table (default: trace.table from the config, else sip_trace)')
    .option('--json', 'print JSON for scripts');
}

/**
 * Opens the store for reading, straight from the database: it is the data of
 * record and can be read while the daemon is down. Never creates anything.
 */
async function openStore(flags: StoreFlags): Promise<TraceStore> {
  const { config } = await loadConfig(flags.config);
  const url = flags.store ?? config.trace.store;
  // The store drivers load on use, so the other verbs start without them.
  const { openTraceStore } = await import('../../trace/store/open.js');
  try {
    return await openTraceStore(url, { table: flags.table ?? config.trace.table, dataDir: config.data_dir, mode: 'read' });
  } catch (error) {
    if (isHeraldError(error) && error.code === 'HERALD_ERR_NOT_FOUND') throw new CliExit(EXIT.SERVER_ERROR, `herald: ${error.message}`);
    if (isHeraldError(error)) throw error;
    throw new CliExit(EXIT.CANNOT_CONNECT, `herald: cannot open the trace store ${url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')}: ${(error as Error).message}`);
  }
}

async function withStore<T>(flags: StoreFlags, use: (store: TraceStore) => Promise<T>): Promise<T> {
  const store = await openStore(flags);
  try {
    return await use(store);
  } catch (error) {
    if (isHeraldError(error) && error.code === 'HERALD_ERR_INVALID_PARAMS') throw new CliExit(EXIT.USAGE, `herald: ${error.message}`);
    throw error;
  } finally {
    await store.close();
  }
}

function parseLimit(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const limit = Number(text);
  if (!Number.isInteger(limit)) throw new CliExit(EXIT.USAGE, `herald: --limit must be an integer, got "${text}"`);
  return limit;
}

function printHits(hits: readonly SearchHit[]): void {
  if (hits.length === 0) {
    process.stdout.write('No messages match.\n');
    return;
  }
  const rows = hits.map((h) => [h.time, h.callid, h.method, h.status, h.from, h.to, h.fromUser, h.toUser, h.tracedUser]);
  process.stdout.write(`${formatTable(['TIME', 'CALL-ID', 'METHOD', 'STATUS', 'FROM', 'TO', 'FROM-USER', 'TO-USER', 'TRACED'], rows)}\n`);
}

function registerSearch(trace: Command): void {
  withStoreOptions(trace
    .command('search')
    .description('Search stored SIP messages, newest first. Every given criterion must match.')
    .option('--callid <id>', 'exact Call-ID')
    .option('--user <user>', 'exact user: traced, From, To or Request-URI')
    .option('--from-user <user>', 'exact From user')
    .option('--to-user <user>', 'exact To user')
    .option('--ip <ip>', 'source or destination IP')
    .option('--method <method>', 'SIP method (replies carry their CSeq method)')
    .option('--status <code>', 'reply code (486) or class (4xx)')
    .option('--since <time>', 'from this time: ISO 8601, Unix seconds, or an age such as 15m, 2h, 7d')
    .option('--until <time>', 'before this time (same forms)')
    .option('--limit <n>', 'most messages shown (default 100, at most 10000)'))
    .action(async (flags: SearchFlags) => {
      const hits = await withStore(flags, (store) => searchTraces(store, { ...flags, limit: parseLimit(flags.limit) }));
      if (flags.json === true) printJson(hits);
      else printHits(hits);
    });
}

function registerShow(trace: Command): void {
  withStoreOptions(trace
    .command('show')
    .description('Draw one call as a ladder: a column per host:port, an arrow per message, in causal order.')
    .argument('<callid>', 'the Call-ID'))
    .action(async (callid: string, flags: StoreFlags) => {
      const view = await withStore(flags, (store) => showCall(store, callid));
      if (view.ladder.entries.length === 0) throw new CliExit(EXIT.SERVER_ERROR, `herald: no messages stored for Call-ID ${callid}`);
      if (flags.json === true) printJson({ ...view.ladder, messages: view.messages });
      else process.stdout.write(renderLadder(view.ladder));
    });
}

/** `herald trace …`: search and show read the store; on, off, status, start and stop drive the daemon. */
export function registerTrace(program: Command): void {
  const trace = program.command('trace').description('Message tracing: search the store, show a call, switch tracing.');
  registerSearch(trace);
  registerShow(trace);
  registerTraceControl(trace);
}
