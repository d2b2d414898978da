import type { Bus } from '../../bus/bus.js';
import type { IngestEvent, ParseOutcome } from './outcome.js';
import { IngestStats } from './stats.js';

/**
 * Where a source's parsed input meets the bus: counts every outcome, raises the
 * accepted events, and tells the source when the bus cannot take more (the
 * fullest subscriber queue is full), so the source pushes back on its sender.
 */
export class Intake {
  readonly stats = new IngestStats();
  readonly #bus: Bus;
  readonly #ready: () => boolean;

  /** `ready`: false while the daemon is starting (its subscribers are not there yet): input waits, as when the bus is full. */
  constructor(bus: Bus, ready: () => boolean = () => true) {
    this.#bus = bus;
    this.#ready = ready;
  }

  /** True while a raise would be dropped by a full subscriber queue (or the bus is closed), or before the daemon is ready. */
  busy(): boolean {
    return !this.#ready() || this.#bus.saturation() >= 1;
  }

  /** Counts the outcome and raises it when accepted. */
  take(outcome: ParseOutcome): void {
    this.stats.count(outcome);
    if (outcome.ok) this.#raise(outcome.event);
  }

  #raise(event: IngestEvent): void {
    // Params were checked against the definition by the parser (open definitions take any field).
    this.#bus.raise(event.def, event.params as never, event.options);
  }
}
