/** Key under which the ingest counter registry lives in `runtime.shared`. */
export const INGEST_COUNTERS_KEY = 'ingest';

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

/** The registry in `shared`, created on first use so services may start in any order. */
export function ingestCounters(shared: Map<string, unknown>): IngestCounters {
  const existing = shared.get(INGEST_COUNTERS_KEY);
  if (existing instanceof IngestCounters) return existing;
  const created = new IngestCounters();
  shared.set(INGEST_COUNTERS_KEY, created);
  return created;
}

/** What a source calls at start: `registerIngestCounters(runtime.shared, 'hep', () => ({ packets, errors }))`. */
export function registerIngestCounters(shared: Map<string, unknown>, name: string, read: IngestCounterSource): () => void {
  return ingestCounters(shared).register(name, read);
}
