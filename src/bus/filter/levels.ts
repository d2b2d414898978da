import { isLevel, LEVEL_NAMES, LEVELS, levelRank, parseLevel, type Level } from '../../events/level.js';

/**
 * Filter levels, lowest first: the one level vocabulary (events/level.ts, a
 * leaf module, so the filter language still pulls in nothing of the event
 * model). Aliases such as `warn` and `crit` are accepted (docs/filters.md "Levels").
 */
export const FILTER_LEVELS = LEVELS;
export type FilterLevel = Level;
/** Every spelling a filter accepts, for error messages. */
export const FILTER_LEVEL_NAMES = LEVEL_NAMES;

/** Rank of a level in any accepted spelling, or undefined when the value is not a level (bad input must not match). */
export function filterLevelRank(level: unknown): number | undefined {
  if (isLevel(level)) return levelRank(level); // events carry canonical names: no case folding per raise
  const parsed = parseLevel(level);
  return parsed === undefined ? undefined : levelRank(parsed);
}

/** The canonical level a filter's level name stands for. */
export function filterLevelOf(value: string): FilterLevel | undefined {
  return parseLevel(value);
}

/** Whether a value is a canonical level name (aliases are not: use filterLevelOf for input). */
export function isFilterLevel(value: string): value is FilterLevel {
  return isLevel(value);
}
