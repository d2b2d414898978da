import { Counters } from '../counters.js';
import type { ParseOutcome, RejectReason } from './outcome.js';

/**
 * One source's ingest counters, as `herald stats` shows them: `accepted`,
 * `accepted_untyped` (part of accepted), `bytes` received, `rejected` and
 * `rejected.<reason>`.
 */
export class IngestStats {
  readonly #counters = new Counters();

  /** Bytes received, counted before parsing (refused input included). */
  received(bytes: number): void {
    this.#counters.add('bytes', bytes);
  }

  accepted(typed: boolean): void {
    this.#counters.add('accepted');
    if (!typed) this.#counters.add('accepted_untyped');
  }

  rejected(reason: RejectReason): void {
    this.#counters.add('rejected');
    this.#counters.add(`rejected.${reason}`);
  }

  /** Counts a parse outcome either way. */
  count(outcome: ParseOutcome): void {
    if (outcome.ok) this.accepted(outcome.event.typed);
    else this.rejected(outcome.rejection.reason);
  }

  get(key: string): number {
    return this.#counters.get(key);
  }

  snapshot(): Record<string, number> {
    return { accepted: 0, accepted_untyped: 0, bytes: 0, rejected: 0, ...this.#counters.snapshot() };
  }
}
