import { Verdict, type StaticEventView } from '../bus/filter/index.js';
import type { ObserverFilter } from '../bus/observer.js';
import type { EventDef } from '../events/define.js';
import { HeraldError } from '../errors/herald-error.js';
import type { HeraldEvent } from '../events/event.js';
import { compileDefinition, type CompiledDefinition, type MetricDefinition } from './definition.js';
import { Metric, type GroupView } from './metric.js';
import { RaiseBatch, type BatchLayout, type Interner } from './raise-batch.js';
import { compileRowCopy, type RowCopy } from './row-copy.js';

/** What Metrics needs of the bus: Bus.observe. */
export interface Observable {
  observe(filter: ObserverFilter, onEvent: (event: HeraldEvent) => void): () => void;
}

export interface MetricsOptions {
  readonly bus: Observable;
  /** Clock for idle expiry, epoch ms. */
  readonly now?: () => number;
}

/** One metric's dump: the metric, and its group tree with totals. */
export interface MetricDump {
  readonly metric: Metric;
  readonly root: GroupView;
}

interface Entry {
  readonly metric: Metric;
  readonly compiled: CompiledDefinition;
}

/** Which metrics one event definition feeds, and the columns they read. */
interface Plan {
  /** Metric indexes whose filter matches every raise of the definition. */
  readonly always: Int32Array;
  /** Metric indexes whose filter is tested per raise. */
  readonly depends: Int32Array;
  /** Their filters without the tests the definition decides (CompiledFilter.residual). */
  readonly tests: ReadonlyArray<(event: HeraldEvent) => boolean>;
  /** Copies the columns the plan's metrics read into a batch row. */
  readonly copy: RowCopy;
}

/*
 *  raise() ─▶ bus plan (cold? nothing) ─▶ Metrics.#take: plan per definition ─▶ one batch row
 *                                                                                  │ full, or a read
 *                                                                                  ▼
 *                                                             each metric folds its rows (Metric.fold)
 */

/**
 * The user-defined metrics of a daemon (herald.yaml `metrics.definitions`, MI
 * `stats_add`/`stats_remove`). Like Dovecot's stats process, but groups are
 * freed when idle and capped per metric. One bus observer serves them all: a
 * raise is copied once into a batch row that every matching metric reads.
 */
export class Metrics {
  readonly #bus: Observable;
  readonly #now: () => number;
  #entries: Entry[] = [];
  #batch = new RaiseBatch({ numeric: [], discrete: [], metrics: 0 });
  #plans: Array<Plan | undefined> = [];
  #plansAnyLevel: Array<Plan | undefined> = [];
  #stop: (() => void) | undefined;

  constructor(options: MetricsOptions) {
    this.#bus = options.bus;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Adds a metric. `path` names the definition in errors.
   * @throws HeraldError HERALD_ERR_CONFIG for a bad definition or a name already in use.
   */
  add(definition: MetricDefinition, path = 'metric'): Metric {
    if (this.get(definition.name) !== undefined) {
      throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${path}.name: a metric named "${definition.name}" already exists`);
    }
    const compiled = compileDefinition(definition, path);
    const metric = new Metric(compiled, this.#now());
    this.#rebuild([...this.#entries, { metric, compiled }]);
    return metric;
  }

  /** Removes a metric and its numbers; returns whether it existed. */
  remove(name: string): boolean {
    const rest = this.#entries.filter((entry) => entry.metric.name !== name);
    if (rest.length === this.#entries.length) return false;
    this.#rebuild(rest);
    return true;
  }

  list(): Metric[] {
    return this.#entries.map((entry) => entry.metric);
  }

  get(name: string): Metric | undefined {
    return this.#entries.find((entry) => entry.metric.name === name)?.metric;
  }

  /** Every metric's group tree; with `reset`, read and zeroed in one synchronous step (nothing is raised in between). */
  dump(reset = false): MetricDump[] {
    this.#fold();
    return this.list().map((metric) => ({ metric, root: metric.view(reset) }));
  }

  /** Folds the raises still in the batch into the metrics (reads do it themselves). */
  flush(): void {
    this.#fold();
  }

  /** Frees idle groups; the service calls it on a timer. */
  sweep(): void {
    this.#fold();
    const now = this.#now();
    for (const { metric } of this.#entries) metric.sweep(now);
  }

  /** Detaches every metric from the bus. */
  close(): void {
    this.#rebuild([]);
  }

  readonly #take = (event: HeraldEvent): void => {
    const def = event.def;
    const plans = event.level === def.level ? this.#plans : this.#plansAnyLevel;
    const plan = plans[def.id] ?? this.#plan(def, event.level === def.level);
    const batch = this.#batch;
    const row = batch.rows;
    const words = batch.words;
    const masks = batch.masks;
    const maskBase = row * words;
    for (let w = 0; w < words; w++) masks[maskBase + w] = 0;
    let taken = plan.always.length;
    for (let i = 0; i < plan.always.length; i++) masks[maskBase + (plan.always[i] >>> 5)] |= 1 << (plan.always[i] & 31);
    for (let i = 0; i < plan.depends.length; i++) {
      const index = plan.depends[i];
      if (!plan.tests[i](event)) continue;
      masks[maskBase + (index >>> 5)] |= 1 << (index & 31);
      taken++;
    }
    if (taken === 0) return;
    plan.copy(event.params, batch.values, batch.raw, row * batch.layout.numeric.length, row * batch.layout.discrete.length);
    batch.rows = row + 1;
    if (batch.full) this.#fold();
  };

  #fold(): void {
    const batch = this.#batch;
    if (batch.rows === 0) return;
    batch.prepare();
    this.#entries.forEach(({ metric }, index) => metric.fold(batch, index >>> 5, 1 << (index & 31)));
    batch.rows = 0;
  }

  #plan(def: EventDef, atOwnLevel: boolean): Plan {
    const view: StaticEventView = { name: def.name, category: def.category, level: atOwnLevel ? def.level : undefined };
    const always: number[] = [];
    const depends: number[] = [];
    const tests: Array<(event: HeraldEvent) => boolean> = [];
    const numericSlots = new Set<number>();
    const discreteSlots = new Set<number>();
    const layout = this.#batch.layout;
    this.#entries.forEach(({ metric, compiled }, index) => {
      const verdict = compiled.filter.verdict(view);
      if (verdict === Verdict.Never) return;
      if (verdict === Verdict.Always) always.push(index);
      else {
        depends.push(index);
        tests.push(compiled.filter.residual(view));
      }
      for (const field of metric.fields) numericSlots.add(layout.numeric.indexOf(field));
      for (const group of metric.groupBy) if (group.kind === 'discrete') discreteSlots.add(layout.discrete.indexOf(group.field));
    });
    const columns = (slots: Set<number>, names: readonly string[]) => [...slots].map((slot) => ({ slot, name: names[slot] }));
    const plan: Plan = {
      always: Int32Array.from(always), depends: Int32Array.from(depends), tests,
      copy: compileRowCopy(columns(numericSlots, layout.numeric), columns(discreteSlots, layout.discrete)),
    };
    (atOwnLevel ? this.#plans : this.#plansAnyLevel)[def.id] = plan;
    return plan;
  }

  /** A new set of metrics: fold what is pending, lay out the columns anew, and observe again with the combined verdict. */
  #rebuild(entries: Entry[]): void {
    this.#fold();
    this.#stop?.();
    this.#stop = undefined;
    this.#entries = entries;
    const layout: BatchLayout = {
      numeric: [...new Set(entries.flatMap(({ metric }) => metric.fields))],
      discrete: [...new Set(entries.flatMap(({ metric }) => metric.groupBy.filter((g) => g.kind === 'discrete').map((g) => g.field)))],
      metrics: entries.length,
    };
    // A field's interned values outlive the rebuild: the group trees index children by them.
    const interners = new Map(this.#batch.layout.discrete.map((field, column) => [field, this.#batch.interners[column]]));
    this.#batch = new RaiseBatch(layout, layout.discrete.map((field): Interner => interners.get(field) ?? new Map()));
    this.#plans = [];
    this.#plansAnyLevel = [];
    for (const { metric } of entries) metric.bind(layout);
    if (entries.length === 0) return;
    const filters = entries.map((entry) => entry.compiled.filter);
    // Each metric tests its own filter in #take; the bus only needs to know which definitions can feed any.
    this.#stop = this.#bus.observe({
      verdict: (view) => (filters.some((filter) => filter.verdict(view) !== Verdict.Never) ? Verdict.Always : Verdict.Never),
      match: () => true,
    }, this.#take);
  }
}
