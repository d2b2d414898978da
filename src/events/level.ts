/**
 * Severity levels, lowest first. The order is the contract filters compare against.
 * This module imports nothing: the filter language, the config, the MI and the
 * log bridge all read levels through it, so there is one vocabulary.
 */
export const LEVELS = ['trace', 'debug', 'info', 'notice', 'warning', 'error', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

const RANK: Readonly<Record<Level, number>> = Object.freeze(
  Object.fromEntries(LEVELS.map((level, index) => [level, index])) as Record<Level, number>,
);

export function levelRank(level: Level): number {
  return RANK[level];
}

export function isLevel(value: unknown): value is Level {
  return typeof value === 'string' && Object.hasOwn(RANK, value);
}

/**
 * Every spelling accepted for a level, besides the canonical names: pino's
 * (warn, fatal), syslog's (err, crit, alert, emerg), OpenSIPS's E_CORE_LOG
 * (DBG, WARN) and OvenMediaEngine's capitalised ones. Documented once, in
 * docs/filters.md "Levels".
 */
export const LEVEL_ALIASES: Readonly<Record<string, Level>> = Object.freeze({
  dbg: 'debug',
  informational: 'info',
  warn: 'warning',
  err: 'error',
  crit: 'critical',
  fatal: 'critical',
  alert: 'critical',
  emerg: 'critical',
  emergency: 'critical',
});

/** Every accepted spelling (lower case), canonical names first: for enums, schemas and error messages. */
export const LEVEL_NAMES: readonly string[] = Object.freeze([...LEVELS, ...Object.keys(LEVEL_ALIASES)]);

/** The level a name stands for, in any case (`WARN`, `Warning`, `crit`); undefined for anything else. */
export function parseLevel(value: unknown): Level | undefined {
  if (typeof value !== 'string') return undefined;
  const lower = value.trim().toLowerCase();
  if (isLevel(lower)) return lower;
  return Object.hasOwn(LEVEL_ALIASES, lower) ? LEVEL_ALIASES[lower] : undefined;
}

/** pino's level for each (pino has no notice: notice lines are logged at info). */
export const PINO_LEVEL: Readonly<Record<Level, 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal'>> = Object.freeze({
  trace: 'trace', debug: 'debug', info: 'info', notice: 'info', warning: 'warn', error: 'error', critical: 'fatal',
});

/** A logger threshold: any level spelling, or `silent`; given as pino's name. undefined when neither. */
export function parseLoggerLevel(value: unknown): (typeof PINO_LEVEL)[Level] | 'silent' | undefined {
  if (typeof value === 'string' && value.trim().toLowerCase() === 'silent') return 'silent';
  const level = parseLevel(value);
  return level === undefined ? undefined : PINO_LEVEL[level];
}
