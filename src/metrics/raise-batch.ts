import { sketchKey } from './field-stats.js';

/** Raises held before they are folded into the metrics: small enough to stay in cache, large enough to batch. */
export const BATCH_ROWS = 512;

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
  /** Which metrics take each row: `words` Uint32 per row. */
  readonly masks: Uint32Array;
  readonly words: number;
  rows = 0;

  constructor(layout: BatchLayout) {
    this.layout = layout;
    this.values = new Float64Array(BATCH_ROWS * layout.numeric.length);
    this.keys = new Float64Array(BATCH_ROWS * layout.numeric.length);
    this.raw = new Array<unknown>(BATCH_ROWS * layout.discrete.length).fill(undefined);
    this.words = Math.max(1, Math.ceil(layout.metrics / 32));
    this.masks = new Uint32Array(BATCH_ROWS * this.words);
  }

  get full(): boolean {
    return this.rows === BATCH_ROWS;
  }

  /** Computes every row's sketch keys in one pass, before the metrics fold the rows. */
  prepare(): void {
    const values = this.values;
    const keys = this.keys;
    const end = this.rows * this.layout.numeric.length;
    for (let i = 0; i < end; i++) {
      const value = values[i];
      keys[i] = value === value ? sketchKey(value) : 0;
    }
  }
}

/** A numeric param as a number; `missing` for anything else. */
export function numeric(value: unknown, missing: number): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return missing;
}
