import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

/** Herald logs with pino. Messages are capitalised sentences ending in a period, data in fields. */
export type Logger = PinoLogger;

export interface LoggerOptions {
  readonly level?: string;
  readonly destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = { name: 'herald' };
  const level = options.level ?? 'info';
  return options.destination === undefined ? pino({ level, base }) : pino({ level, base }, options.destination);
}

/** A logger that discards everything: the default for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
