import type { CompiledDefinition, MetricDefinition } from './definition.js';
import type { FieldStats } from './field-stats.js';
import { bucketOf, type DiscreteGroupBy, type GroupBy, type QuantizedGroupBy } from './group-by.js';
import { GroupNode, type GroupKey } from './group-tree.js';
import { discreteKey, type BatchLayout, type RaiseBatch } from './raise-batch.js';

/** A group with its totals, as dumps and the exposition read it. */
export interface GroupView {
  /** Dovecot's sub-metric name: `imap_command`, `imap_command_SELECT`, `imap_command_SELECT_duration_11_100`. */
  readonly name: string;
  /** The group_by values above and at this node: field → label value (a bucket name for quantized levels). */
  readonly labels: readonly (readonly [field: string, value: string])[];
  /** The quantized bucket index of this node's own level, when that level is quantized. */
  readonly bucket: number | undefined;
  /** Index-aligned with `Metric.fields`. */
  readonly stats: readonly FieldStats[];
  readonly children: readonly GroupView[];
}

function labelOf(group: GroupBy, key: GroupKey): string {
  return group.kind === 'quantized' ? group.labels[key as number] : String(key);
}

/**
 * One user-defined metric: Dovecot's count/sum/min/max/quantiles per field, per
 * group_by value, with a cardinality limit and idle expiry. `onEvent` runs inside
 * raise(): it walks the group tree with the precompiled group_by list, touches one
 * node's stats, and allocates only when a group is new.
 */
export class Metric {
  readonly definition: MetricDefinition;
  readonly fields: readonly string[];
  readonly groupBy: readonly GroupBy[];
  /** Events a full group tree could not give a group of their own (counted in the parent instead). */
  overflowed = 0;
  #root: GroupNode;
  #nodes = 1;
  #window = 0;
  #windowStartMs: number;
  /** The batch columns of each field, and of each group_by level (numeric for quantized, discrete otherwise). */
  #slots = new Int32Array(0);
  #groupSlots = new Int32Array(0);
  /** The row being folded: its values, keys and raw group values start at these offsets. */
  #batch: RaiseBatch | undefined;
  #numericBase = 0;
  #discreteBase = 0;

  constructor(compiled: CompiledDefinition, nowMs: number) {
    this.definition = compiled.definition;
    this.fields = compiled.fields;
    this.groupBy = compiled.groupBy;
    this.#root = new GroupNode(undefined, this.definition.name, 0, 0);
    this.#windowStartMs = nowMs;
  }

  get name(): string {
    return this.definition.name;
  }

  /** Groups alive, the metric itself included. */
  get groups(): number {
    return this.#nodes;
  }

  /** Finds this metric's columns in a (new) batch layout. */
  bind(layout: BatchLayout): void {
    this.#slots = Int32Array.from(this.fields, (field) => layout.numeric.indexOf(field));
    this.#groupSlots = Int32Array.from(this.groupBy, (group) => (group.kind === 'quantized' ? layout.numeric : layout.discrete).indexOf(group.field));
  }

  /** Folds the batch rows whose mask has this metric's bit. */
  fold(batch: RaiseBatch, word: number, bit: number): void {
    this.#batch = batch;
    const numericWidth = batch.layout.numeric.length;
    const discreteWidth = batch.layout.discrete.length;
    for (let row = 0; row < batch.rows; row++) {
      if ((batch.masks[row * batch.words + word] & bit) === 0) continue;
      this.#numericBase = row * numericWidth;
      this.#discreteBase = row * discreteWidth;
      this.#descend(this.#root);
    }
    this.#batch = undefined;
  }

  /** Dovecot's dump after this: the metric with every sub-metric, totals rolled up. `reset` starts afresh atomically. */
  view(reset = false): GroupView {
    const root = this.#root;
    if (reset) {
      this.#root = new GroupNode(undefined, this.definition.name, 0, this.#window);
      this.#nodes = 1;
      this.overflowed = 0;
    }
    return this.#view(root, this.definition.name, []);
  }

  /** Frees groups idle for `idle_expire_ms` (to twice that); call it often, it does work once per window. */
  sweep(nowMs: number): void {
    const idle = this.definition.idle_expire_ms;
    if (idle === 0 || nowMs - this.#windowStartMs < idle) return;
    this.#nodes -= this.#root.sweep(this.#window, this.fields.length);
    this.#window++;
    this.#windowStartMs = nowMs;
  }

  #descend(start: GroupNode): void {
    const batch = this.#batch as RaiseBatch;
    const groupBy = this.groupBy;
    let node = start;
    node.touched = this.#window;
    for (let level = node.level; level < groupBy.length; level++) {
      const group = groupBy[level];
      let next: GroupNode | undefined;
      if (group.kind === 'quantized') {
        const bucket = bucketKey(group, batch.values[this.#numericBase + this.#groupSlots[level]]);
        if (bucket === undefined) break;
        next = node.buckets?.[bucket] ?? this.#create(node, group, bucket);
      } else {
        const column = this.#discreteBase + this.#groupSlots[level];
        const id = batch.ids[column];
        if (id >= 0) next = node.byId?.[id] ?? this.#indexed(node, group, column, id);
        else {
          // A list (string_list), a value that cannot be a group, or one past the interned values.
          const raw = batch.raw[column];
          if (Array.isArray(raw)) {
            this.#fanOut(node, group, raw);
            return;
          }
          const key = discreteKey(raw);
          if (key === undefined) break;
          next = node.children?.get(key) ?? this.#create(node, group, key);
        }
      }
      if (next === undefined) {
        this.overflowed++;
        break;
      }
      if (node.eager) this.#record(node);
      node = next;
      node.touched = this.#window;
    }
    this.#record(node);
  }

  #record(node: GroupNode): void {
    const batch = this.#batch as RaiseBatch;
    node.record(batch.values, batch.keys, this.#numericBase, this.#slots);
  }

  /** A string_list field: the event goes under each distinct member, and counts once in `node` (Dovecot's semantics). */
  #fanOut(node: GroupNode, group: DiscreteGroupBy, members: readonly unknown[]): void {
    node.becomeEager(this.fields.length);
    this.#record(node);
    for (const member of new Set(members)) {
      const key = discreteKey(member);
      if (key === undefined) continue;
      const next = node.children?.get(key) ?? this.#create(node, group, key);
      if (next === undefined) this.overflowed++;
      else this.#descend(next);
    }
  }

  /** A discrete child found (or created) by value, then remembered under its interned number. */
  #indexed(parent: GroupNode, group: DiscreteGroupBy, column: number, id: number): GroupNode | undefined {
    const key = discreteKey((this.#batch as RaiseBatch).raw[column]) as GroupKey;
    const child = parent.children?.get(key) ?? this.#create(parent, group, key);
    if (child !== undefined) parent.index(id, child);
    return child;
  }

  #create(parent: GroupNode, group: GroupBy, key: GroupKey): GroupNode | undefined {
    if (this.#nodes >= this.definition.max_groups) return undefined;
    const child = new GroupNode(key, labelOf(group, key), parent.level + 1, this.#window);
    parent.children ??= new Map();
    parent.children.set(key, child);
    if (group.kind === 'quantized') (parent.buckets ??= new Array<GroupNode | undefined>(group.labels.length).fill(undefined))[key as number] = child;
    this.#nodes++;
    return child;
  }

  #view(node: GroupNode, name: string, labels: readonly (readonly [string, string])[]): GroupView {
    const children: GroupView[] = [];
    if (node.children !== undefined) {
      const group = this.groupBy[node.level];
      for (const child of node.children.values()) {
        children.push(this.#view(child, `${name}_${child.label}`, [...labels, [group.field, child.label]]));
      }
    }
    const parentGroup = node.level > 0 ? this.groupBy[node.level - 1] : undefined;
    const bucket = parentGroup?.kind === 'quantized' ? (node.key as number) : undefined;
    return { name, labels, bucket, stats: node.totals(this.fields.length), children };
  }
}

/** The bucket of a quantized level, or undefined without a number (Dovecot skips the level). */
function bucketKey(group: QuantizedGroupBy, value: number): number | undefined {
  return value === value ? bucketOf(group, value) : undefined;
}
