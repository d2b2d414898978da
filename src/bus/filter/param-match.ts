import type { ComparisonOp, ValueLiteral } from './ast.js';
import { compareBigint, compareNumber, parseDecimal, type DecimalLiteral } from './numeric.js';
import { compileWildcard, hasWildcard, type StringMatcher } from './wildcard.js';

/** Tests one param value (already looked up; `undefined` when missing). */
export type ParamTest = (value: unknown) => boolean;

/** Turns a three-way comparison result into the operator's verdict; NaN is always false. */
export const ORDER_TESTS: Readonly<Record<ComparisonOp, (order: number) => boolean>> = Object.freeze({
  '=': (order: number) => order === 0,
  '<': (order: number) => order < 0,
  '<=': (order: number) => order <= 0,
  '>': (order: number) => order > 0,
  '>=': (order: number) => order >= 0,
});

export function compileParamTest(op: ComparisonOp, value: ValueLiteral): ParamTest {
  return op === '=' ? compileEquals(value) : compileOrdered(op, value);
}

/**
 * Inequalities only make sense for numbers; strings, booleans and lists give
 * false rather than throwing, because a param's type is only known per event.
 */
function compileOrdered(op: ComparisonOp, value: ValueLiteral): ParamTest {
  const literal = parseDecimal(value.text);
  if (literal === undefined) return () => false;
  const test = ORDER_TESTS[op];
  return (param) => {
    if (typeof param === 'number') return test(compareNumber(param, literal));
    if (typeof param === 'bigint') return test(compareBigint(param, literal));
    return false;
  };
}

interface EqualsPlan {
  /** `=""`: matches missing, empty string and empty list. */
  readonly wantsEmpty: boolean;
  readonly glob: StringMatcher;
  /** Set for plain numeric literals: numbers then compare by value, not text. */
  readonly number: DecimalLiteral | undefined;
  readonly wildcard: boolean;
}

function compileEquals(value: ValueLiteral): ParamTest {
  const wildcard = hasWildcard(value.glob);
  const plan: EqualsPlan = {
    wantsEmpty: value.text === '',
    glob: compileWildcard(value.glob, true),
    number: wildcard ? undefined : parseDecimal(value.text),
    wildcard,
  };
  return (param) => {
    if (!Array.isArray(param)) return scalarEquals(plan, param);
    if (param.length === 0) return plan.wantsEmpty;
    return param.some((element: unknown) => scalarEquals(plan, element));
  };
}

/** An empty string counts as missing, as in Dovecot, so `x=*` means "x is set". */
function scalarEquals(plan: EqualsPlan, param: unknown): boolean {
  switch (typeof param) {
    case 'string':
      return param === '' ? plan.wantsEmpty : plan.glob(param);
    case 'number':
      if (plan.number !== undefined) return compareNumber(param, plan.number) === 0;
      return plan.wildcard && plan.glob(String(param));
    case 'bigint':
      if (plan.number !== undefined) return compareBigint(param, plan.number) === 0;
      return plan.wildcard && plan.glob(param.toString());
    case 'boolean':
      return plan.glob(param ? 'true' : 'false');
    case 'undefined':
      return plan.wantsEmpty;
    case 'object':
      return param === null && plan.wantsEmpty;
    default:
      return false;
  }
}
