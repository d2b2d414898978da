/**
 * Filter levels, lowest first. Kept local to the filter folder on purpose: the
 * filter language is a self-contained unit and must not pull in the event model.
 * The order must stay in step with the event catalogue's own level list.
 */
export const FILTER_LEVELS = ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical'] as const;
export type FilterLevel = (typeof FILTER_LEVELS)[number];

const RANKS: ReadonlyMap<string, number> = new Map(FILTER_LEVELS.map((level, index) => [level, index]));

/** Rank of a level, or undefined when the value is not a level (bad input must not match). */
export function filterLevelRank(level: unknown): number | undefined {
  return typeof level === 'string' ? RANKS.get(level) : undefined;
}

export function isFilterLevel(value: string): value is FilterLevel {
  return RANKS.has(value);
}
