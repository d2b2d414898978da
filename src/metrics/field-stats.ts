import { DDSketch } from '@datadog/sketches-js';

/**
 * Relative accuracy of the quantile sketch: a reported %95 is within 1% of a
 * value that really is at the 95th percentile. DDSketch (Datadog's, a kept
 * library) is mergeable, which lets groups roll up into their parents on read.
 */
const RELATIVE_ACCURACY = 0.01;

/** The columns `herald stats dump` can show, as `doveadm stats dump -f` names them. */
export const DUMP_FIELDS = ['count', 'sum', 'min', 'max', 'avg', 'median', 'stddev', '%95', '%99'] as const;
export type DumpField = (typeof DUMP_FIELDS)[number];

/** Every sketch has this mapping (same accuracy), so a value's key is computed once for all groups that take it. */
const MAPPING = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY }).mapping;

/** The sketch key of `value` (of its magnitude; 0 for values too close to zero to have one). */
export function sketchKey(value: number): number {
  const magnitude = value < 0 ? -value : value;
  return magnitude > MAPPING.minPossible ? MAPPING.key(magnitude) : 0;
}

/**
 * One numeric field of one group: count, sum, min, max (kept by the sketch),
 * the sum of squares for stddev, and the sketch for median, %95 and %99.
 */
export class FieldStats {
  readonly #sketch = new DDSketch({ relativeAccuracy: RELATIVE_ACCURACY });
  #sumOfSquares = 0;

  add(value: number): void {
    this.addKeyed(value, sketchKey(value));
  }

  /**
   * DDSketch.accept with the key already computed (`sketchKey(value)`): one
   * raise feeds the same value to many groups, and the logarithm is most of
   * accept's cost. The sketch's own stores and summary fields are updated as
   * accept updates them.
   */
  addKeyed(value: number, key: number): void {
    const sketch = this.#sketch;
    if (value > MAPPING.minPossible) sketch.store.add(key, 1);
    else if (value < -MAPPING.minPossible) sketch.negativeStore.add(key, 1);
    else sketch.zeroCount++;
    sketch.count++;
    sketch.sum += value;
    if (value < sketch.min) sketch.min = value;
    if (value > sketch.max) sketch.max = value;
    this.#sumOfSquares += value * value;
  }

  /** Adds everything `other` has seen (a group rolling up into its parent). */
  merge(other: FieldStats): void {
    if (other.count === 0) return;
    this.#sketch.merge(other.#sketch);
    this.#sumOfSquares += other.#sumOfSquares;
  }

  get count(): number {
    return this.#sketch.count;
  }

  get sum(): number {
    return this.#sketch.sum;
  }

  /** The value of one dump column; 0 when nothing was seen, as Dovecot prints it. */
  read(field: DumpField): number {
    const sketch = this.#sketch;
    if (sketch.count === 0) return 0;
    switch (field) {
      case 'count': return sketch.count;
      case 'sum': return sketch.sum;
      case 'min': return sketch.min;
      case 'max': return sketch.max;
      case 'avg': return sketch.sum / sketch.count;
      case 'median': return this.#quantile(0.5);
      case 'stddev': {
        const mean = sketch.sum / sketch.count;
        return Math.sqrt(Math.max(0, this.#sumOfSquares / sketch.count - mean * mean));
      }
      case '%95': return this.#quantile(0.95);
      case '%99': return this.#quantile(0.99);
    }
  }

  /** The sketch's estimate, clamped into [min, max] so it never names a value outside what was seen. */
  #quantile(q: number): number {
    const sketch = this.#sketch;
    return Math.min(sketch.max, Math.max(sketch.min, sketch.getValueAtQuantile(q)));
  }
}
