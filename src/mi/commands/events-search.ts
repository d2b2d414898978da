import { openEventStore } from '../../backends/event-store/open.js';
import { searchEvents } from '../../backends/event-store/search.js';
import { isHeraldError } from '../../errors/herald-error.js';
import { defineCommand, type MiCommand } from '../../runtime/mi/command.js';
import { RPC_ERROR, RpcError } from '../../runtime/mi/rpc-error.js';
import { parseTimeBound } from '../../trace/search.js';

export interface EventsSearchDeps {
  /** The daemon's event store (design.md: sqlite:<data_dir>/events.db). Callers cannot name another: no path reaches MI. */
  readonly eventStoreUrl: string;
}

function timeBound(text: string | undefined, name: string): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseTimeBound(text);
  } catch (error) {
    throw new RpcError(RPC_ERROR.INVALID_PARAMS, `${name}: ${(error as Error).message}`);
  }
}

/** `events_search`: `herald search` through the daemon. */
export function eventsSearchCommands(deps: EventsSearchDeps): MiCommand[] {
  return [
    defineCommand({
      name: 'events_search',
      description: 'Stored events from the daemon\'s event store (<data_dir>/events.db), newest first, matching a filter expression '
        + '(docs/filters.md) within a time range. The same as `herald search`.',
      params: [
        { name: 'filter', type: 'string', description: 'Filter expression, e.g. `level>=warning AND event=E_CORE_*`; omitted: every event.' },
        { name: 'since', type: 'string', description: 'From this time: ISO 8601, Unix seconds, or an age such as 15m, 2h, 7d.' },
        { name: 'until', type: 'string', description: 'Before this time (same forms).' },
        { name: 'limit', type: 'int', description: 'Most events returned, 1 to 10000 (default 100).' },
      ],
      example: {
        params: { filter: 'level>=warning', since: '1h', limit: 1 },
        result: {
          events: [{
            id: '019ae3c1-6a2b-7c04-9d1e-3f5a6b7c8d9e', time: '2026-12-05T12:00:00.123456Z', timeUs: 1796471200123456, level: 'warning',
            category: 'core', type: 'E_CORE_THRESHOLD', sourceId: 'herald', params: { source: 'dns', time: 250000, extra: 'example.net' },
          }],
          scanned: 12, truncated: false,
        },
      },
      handler: async ({ filter, since, until, limit }) => {
        if (limit !== undefined && (limit < 1 || limit > 10_000)) throw new RpcError(RPC_ERROR.INVALID_PARAMS, 'limit must be from 1 to 10000');
        const bounds = { sinceUs: timeBound(since, 'since'), untilUs: timeBound(until, 'until') };
        let store;
        try {
          store = await openEventStore(deps.eventStoreUrl, 'herald_events', 'read');
        } catch (error) {
          if (isHeraldError(error) && error.code === 'HERALD_ERR_NOT_FOUND') return { events: [], scanned: 0, truncated: false };
          throw new RpcError(RPC_ERROR.UNAVAILABLE, `The event store cannot be read: ${(error as Error).message}`);
        }
        try {
          return await searchEvents(store, { filter, limit: limit ?? 100, ...bounds });
        } catch (error) {
          throw new RpcError(RPC_ERROR.BAD_VALUE, `Bad filter: ${(error as Error).message}`);
        } finally {
          await store.close();
        }
      },
    }),
  ];
}
