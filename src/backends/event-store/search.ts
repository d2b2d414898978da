import { compileFilter, type FilterableEvent } from '../../bus/filter/index.js';
import { isFilterLevel } from '../../bus/filter/levels.js';
import type { StoredEvent } from './event-row.js';
import type { SqlEventStore } from './sql-event-store.js';

export interface EventSearch {
  /** A filter expression (docs/filters.md); omitted: every event. */
  readonly filter?: string;
  /** Microseconds since the epoch, inclusive. */
  readonly sinceUs?: number;
  /** Microseconds since the epoch, exclusive. */
  readonly untilUs?: number;
  /** Most events returned, newest first. Default 100. */
  readonly limit?: number;
  /** Most rows read to find them; a rare filter over a huge range stops here and says so. Default 1,000,000. */
  readonly maxScanned?: number;
}

export interface EventSearchResult {
  readonly events: StoredEvent[];
  readonly scanned: number;
  /** True when `maxScanned` rows were read before `limit` matches were found. */
  readonly truncated: boolean;
}

const PAGE_ROWS = 2000;

function filterable(event: StoredEvent): FilterableEvent {
  // A level this Herald does not know cannot satisfy a level test; `name` still can.
  return { name: event.type, category: event.category, level: isFilterLevel(event.level) ? event.level : 'trace', params: event.params };
}

/**
 * Newest events first that match the filter within the time range. The database
 * narrows by time (indexed) and pages by (time_us, id); the filter runs here, the
 * same compiled filter subscriptions use, so search and subscribe agree exactly.
 * @throws HeraldError / FilterSyntaxError for a bad filter, before any query.
 */
export async function searchEvents(store: SqlEventStore, search: EventSearch): Promise<EventSearchResult> {
  const match = search.filter === undefined || search.filter.trim() === '' ? () => true : compileFilter(search.filter).match;
  const limit = search.limit ?? 100;
  const maxScanned = search.maxScanned ?? 1_000_000;
  const events: StoredEvent[] = [];
  let scanned = 0;
  let before: { timeUs: number; id: string } | undefined;
  while (events.length < limit && scanned < maxScanned) {
    const page = await store.page({ sinceUs: search.sinceUs, untilUs: search.untilUs, before, limit: Math.min(PAGE_ROWS, maxScanned - scanned) });
    scanned += page.length;
    for (const event of page) {
      if (match(filterable(event)) && events.push(event) >= limit) break;
    }
    if (page.length === 0 || page.length < PAGE_ROWS) return { events, scanned, truncated: false };
    const last = page[page.length - 1];
    before = { timeUs: last.timeUs, id: last.id };
  }
  return { events, scanned, truncated: events.length < limit };
}
