import { sketchKey } from './field-stats.js';
import type { GroupKey } from './group-tree.js';

/** Raises held before they are folded into the metrics: small enough to stay in cache, large enough to batch. */
export const BATCH_ROWS = 512;

/**
 * Distinct values of a discrete column get small numbers once, so that a group
 * tree level finds its child by array index instead of hashing the value again
 * per metric. Past this many values a column's new ones go without a number
 * (the tree falls back to its Map): memory stays bounded.
 */
export const MAX_INTERNED = 4096;

/** One discrete column's value → number table; kept across rebuilds so that the trees' indexes stay valid. */
export type Interner = Map<GroupKey, number>;

/** The columns every metric of a daemon reads: numeric fields, and the raw values of discrete group_by fields. */
export interface BatchLayout {
  readonly numeric: readonly string[];
  readonly discrete: readonly string[];
  /** Metrics, so one mask bit each. */
  readonly metrics: number;
}

/**
 * What the metrics need of recent raises, by column: raise() copies a few
 * numbers and references into the next row (nothing allocated, the event object
 * can die young), and the metrics fold the rows in one pass each when the batch
 * fills or somebody reads them. One raise feeds many metrics from one row.
 */
export class RaiseBatch {
  readonly layout: BatchLayout;
  /** Row-major numbers: row r, numeric slot s at r * layout.numeric.length + s. NaN: missing. */
  readonly values: Float64Array;
  /** sketchKey of each value, filled by prepare(). */
  readonly keys: Float64Array;
  /** Row-major raw values of the discrete group_by fields. */
  readonly raw: unknown[];
  /** Interned number of each raw value, filled by prepare(): -1 for none (a list, an object, or past MAX_INTERNED). */
  readonly ids: Int32Array;
  /** One per discrete column. */
  readonly interners: readonly Interner[];
  /** Which metrics take each row: `words` Uint32 per row. */
  readonly masks: Uint32Array;
  readonly words: number;
  rows = 0;

  constructor(layout: BatchLayout, interners: readonly Interner[] = layout.discrete.map(() => new Map())) {
    this.layout = layout;
    this.interners = interners;
    this.ids = new Int32Array(BATCH_ROWS * layout.discrete.length);
    this.values = new Float64Array(BATCH_ROWS * layout.numeric.length);
    this.keys = new Float64Array(BATCH_ROWS * layout.numeric.length);
    this.raw = new Array<unknown>(BATCH_ROWS * layout.discrete.length).fill(undefined);
    this.words = Math.max(1, Math.ceil(layout.metrics / 32));
    this.masks = new Uint32Array(BATCH_ROWS * this.words);
  }

  get full(): boolean {
    return this.rows === BATCH_ROWS;
  }

  /** Computes every row's sketch keys and discrete value numbers in one pass, before the metrics fold the rows. */
  prepare(): void {
    const values = this.values;
    const keys = this.keys;
    const end = this.rows * this.layout.numeric.length;
    for (let i = 0; i < end; i++) {
      const value = values[i];
      keys[i] = value === value ? sketchKey(value) : 0;
    }
    const width = this.layout.discrete.length;
    const raw = this.raw;
    const ids = this.ids;
    for (let column = 0; column < width; column++) {
      const interner = this.interners[column];
      for (let i = column; i < this.rows * width; i += width) {
        const key = discreteKey(raw[i]);
        let id = key === undefined ? -1 : interner.get(key);
        if (id === undefined) {
          id = interner.size < MAX_INTERNED ? interner.size : -1;
          if (id >= 0) interner.set(key as GroupKey, id);
        }
        ids[i] = id;
      }
    }
  }
}

/** The group of a discrete level: the value, "" when missing (as in Dovecot), undefined for a value that cannot be a group. */
export function discreteKey(value: unknown): GroupKey | undefined {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value;
  return undefined;
}
