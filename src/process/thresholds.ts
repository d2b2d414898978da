import type { Bus } from '../bus/bus.js';
import { E_CORE_THRESHOLD } from '../events/packs/core.js';
import type { Logger } from '../log/logger.js';
import { runWithLogEventsSuppressed } from './log-guard.js';

/** The sources Herald times by itself; applications may time any other name. */
export const BUILTIN_THRESHOLD_SOURCES = ['event_loop', 'dns', 'http_server', 'http_client', 'tcp_write', 'store'] as const;
export type BuiltinThresholdSource = (typeof BUILTIN_THRESHOLD_SOURCES)[number];

/** The operation's subject; a function is only called when the event is raised. */
export type ThresholdExtra = string | (() => string);

/** Ends a timing started with `start`; returns the elapsed µs. `extra` replaces the one given to start. */
export type StopTiming = (extra?: ThresholdExtra) => number;

export interface ThresholdsOptions {
  readonly bus: Pick<Bus, 'raise'>;
  /** Threshold per source in microseconds; 0 or absent switches the source off. */
  readonly thresholdsUs?: Readonly<Record<string, number>>;
  /** `extra` is cut to this many characters. Default 256. */
  readonly extraMaxLength?: number;
  /** When given, every slow operation is also logged as a warning, as OpenSIPS does. */
  readonly logger?: Logger;
}

/**
 * The E_CORE_THRESHOLD timing API (OpenSIPS `start/stop_expire_timer` +
 * `log_expiry`): time an operation and raise the event when it took strictly
 * longer than its source's threshold.
 */
export interface Thresholds {
  /** Runs `fn` and times it; a returned promise is timed until it settles (and passed through). */
  time<T>(source: string, fn: () => T, extra?: ThresholdExtra): T;
  /** Starts timing by hand; call the returned function when the operation ends. */
  start(source: string, extra?: ThresholdExtra): StopTiming;
  /** Reports an operation timed elsewhere. Returns whether the event was raised. */
  record(source: string, elapsedUs: number, extra?: ThresholdExtra): boolean;
  /** The source's threshold in µs (0: off). */
  thresholdUs(source: string): number;
  setThresholdUs(source: string, thresholdUs: number): void;
  /** Whether the source has a threshold, so callers can skip the timing work. */
  active(source: string): boolean;
}

const NOOP_STOP: StopTiming = () => 0;

/** Monotonic clock in µs (wall-clock jumps must not look like slow operations). */
export function monotonicUs(): number {
  return performance.now() * 1000;
}

/**
 * The Thresholds implementation. Methods are arrow properties so they can be
 * passed around detached (`const { time } = thresholds`).
 */
class ThresholdTimer implements Thresholds {
  readonly #limits: Map<string, number>;
  readonly #maxLength: number;
  readonly #bus: Pick<Bus, 'raise'>;
  readonly #logger: Logger | undefined;

  constructor(options: ThresholdsOptions) {
    this.#limits = new Map(Object.entries(options.thresholdsUs ?? {}));
    this.#maxLength = options.extraMaxLength ?? 256;
    this.#bus = options.bus;
    this.#logger = options.logger;
  }

  thresholdUs = (source: string): number => this.#limits.get(source) ?? 0;

  active = (source: string): boolean => this.thresholdUs(source) > 0;

  setThresholdUs = (source: string, value: number): void => {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`Threshold for ${source} must be a non-negative number of µs, got ${value}`);
    this.#limits.set(source, value);
  };

  record = (source: string, elapsedUs: number, extra?: ThresholdExtra): boolean => {
    const limit = this.thresholdUs(source);
    if (limit <= 0 || !(elapsedUs > limit)) return false;
    const text = cut(typeof extra === 'function' ? safeExtra(extra) : extra ?? '', this.#maxLength);
    const time = Math.round(elapsedUs);
    // The log line is for the operator's log; E_CORE_THRESHOLD is the event. With log events on, the line
    // would also become an E_CORE_LOG, and the breach would land in events.log twice (issue 12 point 15).
    runWithLogEventsSuppressed(() => this.#logger?.warn({ source, timeUs: time, thresholdUs: limit, extra: text }, 'Operation exceeded its threshold.'));
    this.#bus.raise(E_CORE_THRESHOLD, { source, time, extra: text });
    return true;
  };

  start = (source: string, extra?: ThresholdExtra): StopTiming => {
    if (!this.active(source)) return NOOP_STOP;
    const startedUs = monotonicUs();
    let stopped = false;
    return (finalExtra?: ThresholdExtra) => {
      const elapsed = monotonicUs() - startedUs;
      if (!stopped) this.record(source, elapsed, finalExtra ?? extra);
      stopped = true;
      return elapsed;
    };
  };

  time = <T>(source: string, fn: () => T, extra?: ThresholdExtra): T => {
    if (!this.active(source)) return fn();
    const stop = this.start(source, extra);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      stop();
      throw error;
    }
    if (!isThenable(result)) {
      stop();
      return result;
    }
    // A new promise that settles like the original, so an unhandled rejection stays unhandled.
    return Promise.resolve(result).then(
      (value) => {
        stop();
        return value;
      },
      (error: unknown) => {
        stop();
        throw error;
      },
    ) as T;
  };
}

export function createThresholds(options: ThresholdsOptions): Thresholds {
  return new ThresholdTimer(options);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function safeExtra(extra: () => string): string {
  try {
    return String(extra());
  } catch {
    // Building the subject must never break the operation being timed.
    return '';
  }
}

function cut(text: string, maxLength: number): string {
  return text.length > maxLength ? text.slice(0, maxLength) : text;
}
