/**
 * Named counters for a source (packets, refusals by reason). Keys are a bounded
 * set (reasons, proto types 0..255), so a Map is enough.
 */
export class Counters {
  readonly #values = new Map<string, number>();

  add(key: string, by = 1): void {
    this.#values.set(key, (this.#values.get(key) ?? 0) + by);
  }

  get(key: string): number {
    return this.#values.get(key) ?? 0;
  }

  /** A plain snapshot, keys sorted, for get_statistics. */
  snapshot(): Record<string, number> {
    return Object.fromEntries([...this.#values].sort(([a], [b]) => a.localeCompare(b)));
  }
}
