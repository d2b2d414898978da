/**
 * Exact decimal literals. A filter literal such as `9007199254740993` or `1.5`
 * has to compare correctly against bigint params, which a JS double cannot do,
 * so the literal keeps its exact floor as a bigint next to the double value.
 */
export interface DecimalLiteral {
  /** The nearest double, used against number params. */
  readonly value: number;
  /** floor(literal), exact. */
  readonly floor: bigint;
  /** Whether the literal equals `floor`. */
  readonly integral: boolean;
  /** Whether `value` is exactly the literal, so double comparisons are exact. */
  readonly exactDouble: boolean;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;
// Bounds the bigint built from the literal: `1e999999` must not allocate a huge number.
const MAX_EXPONENT = 1000;

/** Parses a plain decimal (`12`, `-3.5`, `.5`, `1e6`); anything else is not a number. */
export function parseDecimal(text: string): DecimalLiteral | undefined {
  const match = DECIMAL.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponent = Number(exponentText) - fraction.length;
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const magnitude = BigInt(whole + fraction);
  const negative = sign === '-';
  const value = Number(text);
  if (exponent >= 0) {
    const exact = magnitude * 10n ** BigInt(exponent);
    const floor = negative ? -exact : exact;
    return { value, floor, integral: true, exactDouble: Number.isSafeInteger(value) && BigInt(value) === floor };
  }
  const divisor = 10n ** BigInt(-exponent);
  const quotient = magnitude / divisor;
  const integral = magnitude % divisor === 0n;
  const floor = !negative ? quotient : integral ? -quotient : -quotient - 1n;
  // A fractional literal is compared as a double on purpose: `x=0.1` must match the param 0.1.
  return { value, floor, integral, exactDouble: !integral || Number.isSafeInteger(value) };
}

/** Sign of `param - literal`: -1, 0 or 1, or NaN when the param is NaN. */
export function compareBigint(param: bigint, literal: DecimalLiteral): number {
  if (param < literal.floor) return -1;
  if (param > literal.floor) return 1;
  return literal.integral ? 0 : -1;
}

export function compareNumber(param: number, literal: DecimalLiteral): number {
  if (Number.isNaN(param)) return Number.NaN;
  if (!Number.isFinite(param)) return param > 0 ? 1 : -1;
  if (!literal.exactDouble && Number.isInteger(param)) return compareBigint(BigInt(param), literal);
  return param < literal.value ? -1 : param > literal.value ? 1 : 0;
}
