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
  // Logs go to stderr by default: stdout carries `herald serve`'s one-line announcements and --json output.
  return pino({ level, base }, options.destination ?? pino.destination({ dest: 2, sync: false }));
}

/** A logger that discards everything: the default for library use and tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
