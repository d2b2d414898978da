import { HeraldError } from '../errors/herald-error.js';

/*
 * group_by tokens, with Dovecot's semantics (stats-settings.c, stats-metrics.c):
 *   field | field:discrete                 one group per value ("" when the field is missing)
 *   field:exponential:<min>:<max>:<base>   buckets (-inf, base^min], (base^min, base^(min+1)], …, (base^max, +inf)
 *   field:linear:<min>:<max>:<step>        buckets (-inf, min], (min, min+step], …, (max, +inf)
 * A quantized bucket is named like Dovecot's sub-metrics: duration_ninf_10, duration_11_100, duration_101_inf.
 */

export interface DiscreteGroupBy {
  readonly kind: 'discrete';
  readonly field: string;
}

export interface QuantizedGroupBy {
  readonly kind: 'quantized';
  readonly field: string;
  /** Upper bounds of every bucket but the last, ascending; the last bucket is (bounds[n-1], +inf). */
  readonly bounds: Float64Array;
  /** Dovecot's bucket names, one per bucket (bounds.length + 1). */
  readonly labels: readonly string[];
}

export type GroupBy = DiscreteGroupBy | QuantizedGroupBy;

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_BUCKETS = 1000;

function bad(path: string, token: string, why: string): HeraldError {
  return new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${path}: "${token}": ${why}`);
}

function integers(parts: readonly string[], path: string, token: string): number[] {
  return parts.map((part) => {
    if (!/^-?\d+$/.test(part)) throw bad(path, token, `"${part}" is not an integer`);
    return Number(part);
  });
}

function bucketLabel(field: string, low: number | undefined, high: number | undefined): string {
  if (low === undefined) return `${field}_ninf_${high}`;
  if (high === undefined) return `${field}_${low + 1}_inf`;
  return `${field}_${low + 1}_${high}`;
}

function quantized(field: string, bounds: number[]): QuantizedGroupBy {
  const labels = bounds.map((high, i) => bucketLabel(field, i === 0 ? undefined : bounds[i - 1], high));
  labels.push(bucketLabel(field, bounds[bounds.length - 1], undefined));
  return { kind: 'quantized', field, bounds: Float64Array.from(bounds), labels };
}

/**
 * Parses one group_by token. `path` names it in errors (`metrics.definitions[0].group_by[1]`).
 * @throws HeraldError HERALD_ERR_CONFIG naming the path and what is wrong.
 */
export function parseGroupBy(token: string, path: string): GroupBy {
  const [field, method = 'discrete', ...args] = token.split(':');
  if (!FIELD.test(field)) throw bad(path, token, 'the field name must match [A-Za-z_][A-Za-z0-9_]*');
  if (method === 'discrete') {
    if (args.length > 0) throw bad(path, token, 'discrete takes no arguments');
    return { kind: 'discrete', field };
  }
  if (method !== 'exponential' && method !== 'linear') throw bad(path, token, `unknown method "${method}" (discrete, exponential, linear)`);
  if (args.length !== 3) throw bad(path, token, `${method} needs three arguments: ${method === 'linear' ? 'min:max:step' : 'min:max:base'}`);
  const [min, max, third] = integers(args, path, token);
  if (min >= max) throw bad(path, token, 'min must be less than max');
  if (method === 'exponential') {
    if (third !== 2 && third !== 10) throw bad(path, token, 'the base must be 2 or 10');
    if (min < 0) throw bad(path, token, 'min must not be negative');
    if (max - min + 1 > MAX_BUCKETS) throw bad(path, token, `more than ${MAX_BUCKETS} buckets`);
    const bounds: number[] = [];
    for (let magnitude = min; magnitude <= max; magnitude++) bounds.push(third ** magnitude);
    return quantized(field, bounds);
  }
  if (third <= 0) throw bad(path, token, 'the step must be positive');
  if ((max - min) % third !== 0) throw bad(path, token, 'max - min must be a multiple of the step');
  if ((max - min) / third + 1 > MAX_BUCKETS) throw bad(path, token, `more than ${MAX_BUCKETS} buckets`);
  const bounds: number[] = [];
  for (let bound = min; bound <= max; bound += third) bounds.push(bound);
  return quantized(field, bounds);
}

/** The bucket index of `value`: buckets are (low, high], so a value equal to a bound falls below it. */
export function bucketOf(group: QuantizedGroupBy, value: number): number {
  const bounds = group.bounds;
  let low = 0;
  let high = bounds.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (value <= bounds[mid]) high = mid;
    else low = mid + 1;
  }
  return low;
}
