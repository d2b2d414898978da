import { pino, type DestinationStream } from 'pino';
import type { Bus } from '../bus/bus.js';
import { E_CORE_LOG } from '../events/packs/core.js';
import { parseLevel, PINO_LEVEL, type Level } from '../events/level.js';
import type { Logger } from '../log/logger.js';
import { logEventsSuppressed, runWithLogEventsSuppressed } from './log-guard.js';

export { guardBackendFactories, logEventsSuppressed, runWithLogEventsSuppressed } from './log-guard.js';

/** pino's numbers for its level names. */
const PINO_NUMBERS: Readonly<Record<string, number>> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

export interface LogEventOptions {
  /** Lowest level raised: a pino number, or any level name or alias (events/level.ts). Default `trace`: whatever the logger emits. */
  readonly level?: string | number;
  /** The `prefix` param (OpenSIPS log_prefix). Default ''. */
  readonly prefix?: string;
  /** `message` is cut to this many characters (OpenSIPS log_msg_buf_size). Default 4096. */
  readonly maxMessageLength?: number;
  /** The key pino writes the message under. Default `msg`. */
  readonly messageKey?: string;
}

/** A pino destination that raises E_CORE_LOG; `enabled` switches it at runtime. */
export interface HeraldPinoDestination extends DestinationStream {
  enabled: boolean;
}

/** E_CORE_LOG's `level` strings, from pino's numeric level. */
export function logLevelName(level: number): 'DBG' | 'INFO' | 'NOTICE' | 'WARN' | 'ERROR' | 'CRITICAL' {
  if (level < 30) return 'DBG';
  if (level < 31) return 'INFO';
  if (level < 40) return 'NOTICE';
  if (level < 50) return 'WARN';
  if (level < 60) return 'ERROR';
  return 'CRITICAL';
}

const EVENT_LEVEL: Readonly<Record<ReturnType<typeof logLevelName>, Level>> = {
  DBG: 'debug', INFO: 'info', NOTICE: 'notice', WARN: 'warning', ERROR: 'error', CRITICAL: 'critical',
};

function numericLevel(value: unknown): number {
  if (typeof value === 'number') return value;
  const level = parseLevel(value);
  if (level === 'notice') return 35; // between info and warn, as logLevelName reads it
  return level === undefined ? 30 : PINO_NUMBERS[PINO_LEVEL[level]];
}

function text(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

function isoTime(value: unknown): string {
  if (typeof value === 'string' && value.length > 0) return value;
  return new Date(typeof value === 'number' ? value : Date.now()).toISOString();
}

/**
 * A pino destination raising E_CORE_LOG for each line. An application that
 * logs with pino gets the event by adding one stream:
 *
 * ```ts
 * const logger = pino(pino.multistream([{ stream: process.stdout }, { stream: heraldPinoDestination(bus) }]));
 * ```
 *
 * Every param is always present, '' when unknown: `module` is the line's
 * `module` field, else the logger `name`; `function` is its `function` field.
 */
export function heraldPinoDestination(bus: Pick<Bus, 'raise'>, options: LogEventOptions = {}): HeraldPinoDestination {
  const minLevel = numericLevel(options.level ?? 'trace');
  const prefix = options.prefix ?? '';
  const maxLength = options.maxMessageLength ?? 4096;
  const messageKey = options.messageKey ?? 'msg';
  const destination: HeraldPinoDestination = {
    enabled: true,
    write(line: string) {
      if (!destination.enabled || logEventsSuppressed()) return;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // Not a pino JSON line (a prettifier ran first): nothing to map.
      }
      const level = numericLevel(record.level);
      if (level < minLevel) return;
      const name = logLevelName(level);
      const message = text(record[messageKey]).replace(/\r?\n$/, '');
      const params = {
        time: isoTime(record.time),
        pid: typeof record.pid === 'number' ? record.pid : process.pid,
        level: name,
        module: text(record.module ?? record.name),
        function: text(record.function),
        prefix,
        message: message.length > maxLength ? message.slice(0, maxLength) : message,
      };
      runWithLogEventsSuppressed(() => bus.raise(E_CORE_LOG, params, { level: EVENT_LEVEL[name] }));
    },
  };
  return destination;
}

type StreamHolder = Record<symbol, unknown>;
interface MetadataStream extends DestinationStream {
  flush?: (cb: (error?: Error) => void) => void;
  flushSync?: () => void;
  [key: string]: unknown;
}
const METADATA_KEYS = ['lastLevel', 'lastObj', 'lastMsg', 'lastTime', 'lastLogger'] as const;

/**
 * Makes an existing pino logger (and every child, before or after) also write
 * to `destination`, by swapping its stream (pino.symbols.streamSym) for a tee.
 * This is how Herald's own logger, created before any service, gets E_CORE_LOG.
 * Returns a disposer that puts the original stream back.
 */
export function teeLogger(logger: Logger, destination: DestinationStream): () => void {
  const holder = logger as unknown as StreamHolder;
  const { streamSym, needsMetadataGsym } = pino.symbols;
  const original = holder[streamSym] as MetadataStream;
  const needsMetadata = original[needsMetadataGsym as unknown as string] === true;
  const tee: MetadataStream = {
    write(line: string) {
      if (needsMetadata) for (const key of METADATA_KEYS) original[key] = tee[key];
      original.write(line);
      destination.write(line);
    },
    flush: (cb) => (typeof original.flush === 'function' ? original.flush(cb) : cb()),
    flushSync: () => original.flushSync?.(),
  };
  if (needsMetadata) (tee as unknown as StreamHolder)[needsMetadataGsym] = true;
  holder[streamSym] = tee;
  return () => {
    if (holder[streamSym] === tee) holder[streamSym] = original;
  };
}
