import type { SlotTable } from './slots.js';

/** The slot holding the ingest counter registry. */
export const INGEST_COUNTERS_SLOT = 'runtime.ingest-counters';

declare module './slots.js' {
  interface Slots {
    [INGEST_COUNTERS_SLOT]: IngestCounters;
  }
}

/** Reads one source's counters (packets received, decode errors, …) at the time of the call. */
export type IngestCounterSource = () => Readonly<Record<string, number>>;

/**
 * Counters that sources (HEP, raw SIP, HTTP ingest) publish for `get_statistics`.
 * Each source registers a reader once; reads happen only when someone asks.
 */
export class IngestCounters {
  readonly #sources = new Map<string, IngestCounterSource>();

  /** Adds (or replaces) a named source; returns a disposer for when the service stops. */
  register(name: string, read: IngestCounterSource): () => void {
    this.#sources.set(name, read);
    return () => {
      if (this.#sources.get(name) === read) this.#sources.delete(name);
    };
  }

  /** Every source's counters by source name. A reader that throws shows as `{ error: 1 }`, never fails the call. */
  snapshot(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const [name, read] of [...this.#sources].sort(([a], [b]) => a.localeCompare(b))) {
      try {
        out[name] = { ...read() };
      } catch {
        out[name] = { error: 1 };
      }
    }
    return out;
  }
}

/** The registry in the slots, created on first use so services may start in any order. */
export function ingestCounters(slots: SlotTable): IngestCounters {
  const existing = slots.get(INGEST_COUNTERS_SLOT);
  if (existing !== undefined) return existing;
  const created = new IngestCounters();
  slots.set(INGEST_COUNTERS_SLOT, created);
  return created;
}

/** What a source calls at start: `registerIngestCounters(runtime.slots, 'hep', () => ({ packets, errors }))`. */
export function registerIngestCounters(slots: SlotTable, name: string, read: IngestCounterSource): () => void {
  return ingestCounters(slots).register(name, read);
}
