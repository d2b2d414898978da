import { FieldStats } from './field-stats.js';

/** The value one group is keyed by: a discrete param value, or a quantized bucket index. */
export type GroupKey = string | number | boolean | bigint;

/**
 * One node of a metric's group tree: the metric itself (the root) or a sub-metric.
 * Events are recorded once, in the deepest node they reach (`own`); a node's
 * totals are its own plus its children's, merged on read. A node under which a
 * string_list field fanned one event into several children keeps its totals
 * eagerly instead (`eager`), so that event counts once there, as in Dovecot.
 */
export class GroupNode {
  readonly key: GroupKey | undefined;
  /** Dovecot's sub-metric name piece: the value, or the bucket name. */
  readonly label: string;
  /** Index of the metric's group_by the children are keyed by (= depth). */
  readonly level: number;
  own: FieldStats[] | undefined;
  children: Map<GroupKey, GroupNode> | undefined;
  /** The same children by bucket index, when they are quantized: an array read instead of a Map lookup per event. */
  buckets: Array<GroupNode | undefined> | undefined;
  /** The same children by interned value number (RaiseBatch.ids), when they are discrete: filled as they are found, dropped by sweep. */
  byId: Array<GroupNode | undefined> | undefined;
  eager = false;
  /** The sweep window the node last saw an event in. */
  touched: number;

  constructor(key: GroupKey | undefined, label: string, level: number, window: number) {
    this.key = key;
    this.label = label;
    this.level = level;
    this.touched = window;
  }

  /** Records one event: the values and sketch keys of the metric's fields, read by slot from the row at `base`. */
  record(values: Float64Array, keys: Float64Array, base: number, slots: Int32Array): void {
    let own = this.own;
    if (own === undefined) {
      own = [];
      for (let i = 0; i < slots.length; i++) own.push(new FieldStats());
      this.own = own;
    }
    for (let i = 0; i < slots.length; i++) {
      const slot = base + slots[i];
      const value = values[slot];
      if (value === value) own[i].addKeyed(value, keys[slot]);
    }
  }

  /** Remembers `child` under its interned value number. */
  index(id: number, child: GroupNode): void {
    let byId = this.byId;
    if (byId === undefined || id >= byId.length) {
      const grown = new Array<GroupNode | undefined>(Math.max(8, id + 1, 2 * (byId?.length ?? 0))).fill(undefined);
      if (byId !== undefined) for (let i = 0; i < byId.length; i++) grown[i] = byId[i];
      this.byId = byId = grown;
    }
    byId[id] = child;
  }

  /** Switches to eager totals: what the children hold so far moves into `own`'s roll-up. */
  becomeEager(fieldCount: number): void {
    if (this.eager) return;
    const totals = this.totals(fieldCount);
    this.own = totals;
    this.eager = true;
  }

  /** Own plus (unless eager) every descendant's numbers, as fresh FieldStats. */
  totals(fieldCount: number): FieldStats[] {
    const out: FieldStats[] = [];
    for (let i = 0; i < fieldCount; i++) out.push(new FieldStats());
    this.#addInto(out);
    return out;
  }

  #addInto(out: FieldStats[]): void {
    if (this.own !== undefined) for (let i = 0; i < out.length; i++) out[i].merge(this.own[i]);
    if (this.eager || this.children === undefined) return;
    for (const child of this.children.values()) child.#addInto(out);
  }

  /** Removes children idle since before `window`, folding their totals into this node. Returns how many nodes went. */
  sweep(window: number, fieldCount: number): number {
    if (this.children === undefined) return 0;
    let freed = 0;
    for (const [key, child] of this.children) {
      if (child.touched < window) {
        if (!this.eager) this.#fold(child.totals(fieldCount), fieldCount);
        freed += child.size();
        this.children.delete(key);
        if (this.buckets !== undefined) this.buckets[key as number] = undefined;
        this.byId = undefined;
      } else freed += child.sweep(window, fieldCount);
    }
    return freed;
  }

  /** This node and all its descendants. */
  size(): number {
    let n = 1;
    if (this.children !== undefined) for (const child of this.children.values()) n += child.size();
    return n;
  }

  #fold(totals: FieldStats[], fieldCount: number): void {
    if (this.own === undefined) {
      this.own = totals;
      return;
    }
    for (let i = 0; i < fieldCount; i++) this.own[i].merge(totals[i]);
  }
}
