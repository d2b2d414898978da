import type { Level } from '../../src/events/level.js';

export const LEVELS: readonly Level[] = ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical'];

/**
 * A random filter over the PLAN_* / plan_gamma events of test/bus/filter-plan.test.ts
 * (params n: int, s: string): names, categories, levels, params, AND/OR/NOT up to depth 3.
 */
export function randomFilter(next: () => number, depth = 0): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)];
  const roll = next();
  if (depth < 3 && roll < 0.35) {
    const op = pick(['AND', 'OR']);
    return `(${randomFilter(next, depth + 1)} ${op} ${randomFilter(next, depth + 1)})`;
  }
  if (depth < 3 && roll < 0.45) return `NOT ${randomFilter(next, depth + 1)}`;
  return pick([
    () => `event=${pick(['PLAN_*', 'PLAN_ALPHA_*', '*_START', 'plan_gamma', 'PLAN_BETA_START', 'NOTHING*', '*'])}`,
    () => `category=${pick(['alpha', 'beta', 'gamma', 'g*', 'delta'])}`,
    () => `level${pick(['>=', '<', '=', '>'])}${pick(LEVELS)}`,
    () => `n${pick(['=', '>', '<='])}${pick(['1', '5', '9'])}`,
    () => `s=${pick(['a*', 'b', '*z'])}`,
  ])();
}
