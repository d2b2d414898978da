import type { ReceiverCounters } from './protocol.js';

/*
 * A collector socket's counters across the receive threads it has had. A thread started
 * again after a crash counts from 0, so what is shown is the dead threads' last counters
 * plus the live one's: get_statistics, herald stats and /metrics never go backwards.
 */

export const NO_COUNTERS: ReceiverCounters = {
  received: 0, journal_spilled: 0, journal_replayed: 0, journal_bytes: 0, dropped_journal_full: 0, dropped_journal_error: 0, journal_torn_bytes: 0,
};

const NAMES = Object.keys(NO_COUNTERS) as ReadonlyArray<keyof ReceiverCounters>;

export class CumulativeCounters {
  /** The dead threads' totals; `journal_bytes` is a level, not a count, and stays 0 here. */
  #dead: ReceiverCounters = NO_COUNTERS;
  #live: ReceiverCounters = NO_COUNTERS;

  /** The live thread's counters, as of its last message. */
  update(counters: ReceiverCounters): void {
    this.#live = counters;
  }

  /** The live thread died: its counters join the totals and the next thread starts at 0. */
  retire(): void {
    this.#dead = sum(this.#dead, { ...this.#live, journal_bytes: 0 });
    // What the journal held is still on disk: it stands until the next thread reports its own.
    this.#live = { ...NO_COUNTERS, journal_bytes: this.#live.journal_bytes };
  }

  total(): ReceiverCounters {
    return sum(this.#dead, this.#live);
  }
}

function sum(a: ReceiverCounters, b: ReceiverCounters): ReceiverCounters {
  const out: Record<keyof ReceiverCounters, number> = { ...NO_COUNTERS };
  for (const name of NAMES) out[name] = a[name] + b[name];
  return out;
}
