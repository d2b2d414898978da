import { HeraldError } from '../errors/herald-error.js';
import type { HeraldEvent } from '../events/event.js';
import { compileDefinition, type MetricDefinition } from './definition.js';
import { Metric, type GroupView } from './metric.js';

/** What Metrics needs of the bus: Bus.observe. */
export interface Observable {
  observe(filter: string, onEvent: (event: HeraldEvent) => void): () => void;
}

export interface MetricsOptions {
  readonly bus: Observable;
  /** Clock for idle expiry, epoch ms. */
  readonly now?: () => number;
}

/** One metric's dump: its definition's name, and the group tree with totals. */
export interface MetricDump {
  readonly metric: Metric;
  readonly root: GroupView;
}

/**
 * The user-defined metrics of a daemon (herald.yaml `metrics.definitions`, MI
 * `stats_add`/`stats_remove`), each fed by its own bus observer. Like Dovecot's
 * stats process, but groups are freed when idle and capped per metric.
 */
export class Metrics {
  readonly #bus: Observable;
  readonly #now: () => number;
  readonly #metrics = new Map<string, { readonly metric: Metric; readonly stop: () => void }>();

  constructor(options: MetricsOptions) {
    this.#bus = options.bus;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Adds a metric. `path` names the definition in errors.
   * @throws HeraldError HERALD_ERR_CONFIG for a bad definition or a name already in use.
   */
  add(definition: MetricDefinition, path = 'metric'): Metric {
    if (this.#metrics.has(definition.name)) {
      throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${path}.name: a metric named "${definition.name}" already exists`);
    }
    const metric = new Metric(compileDefinition(definition, path), this.#now());
    const stop = this.#bus.observe(definition.filter, metric.onEvent);
    this.#metrics.set(definition.name, { metric, stop });
    return metric;
  }

  /** Removes a metric and its numbers; returns whether it existed. */
  remove(name: string): boolean {
    const entry = this.#metrics.get(name);
    if (entry === undefined) return false;
    entry.stop();
    this.#metrics.delete(name);
    return true;
  }

  list(): Metric[] {
    return [...this.#metrics.values()].map((entry) => entry.metric);
  }

  get(name: string): Metric | undefined {
    return this.#metrics.get(name)?.metric;
  }

  /** Every metric's group tree; with `reset`, read and zeroed in one synchronous step (nothing is raised in between). */
  dump(reset = false): MetricDump[] {
    return this.list().map((metric) => ({ metric, root: metric.view(reset) }));
  }

  /** Frees idle groups; the service calls it on a timer. */
  sweep(): void {
    const now = this.#now();
    for (const { metric } of this.#metrics.values()) metric.sweep(now);
  }

  /** Detaches every metric from the bus. */
  close(): void {
    for (const { stop } of this.#metrics.values()) stop();
    this.#metrics.clear();
  }
}
