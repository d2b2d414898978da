import type { Logger } from '../../log/logger.js';
import { nextPeriodMs } from './rotation.js';

export interface TimerHandlers {
  /** Write what is buffered (flush_interval_ms after the first unflushed line). */
  flush(): void;
  /** Try owed bytes again after a failed write. */
  retry(): void;
  /** The rotate_period boundary was reached. */
  period(): void;
  /** Local (or UTC) midnight was reached: roll the day. */
  day(): void;
}

interface TimerSpec {
  readonly flushIntervalMs: number;
  readonly rotation: { readonly periodS: number };
  readonly now: () => number;
}

/** Longest a single setTimeout may wait. */
const MAX_DELAY_MS = 2 ** 31 - 1;
/** One failure log per file per this many ms; the rest are counted. */
const FAILURE_LOG_EVERY_MS = 10_000;

function later(delayMs: number, run: () => void): NodeJS.Timeout {
  const timer = setTimeout(run, Math.min(MAX_DELAY_MS, Math.max(0, delayMs)));
  timer.unref(); // A quiet file never keeps the process alive.
  return timer;
}

/** The timers of one shared file, all unref'd, plus its rate-limited failure log. */
export class FileTimers {
  readonly #spec: TimerSpec;
  readonly #handlers: TimerHandlers;
  #flush: NodeJS.Timeout | undefined;
  #retry: NodeJS.Timeout | undefined;
  #period: NodeJS.Timeout | undefined;
  #day: NodeJS.Timeout | undefined;
  #nextDayMs = Number.POSITIVE_INFINITY;
  #lastLogMs = Number.NEGATIVE_INFINITY;
  #suppressed = 0;
  #cleared = false;

  constructor(spec: TimerSpec, handlers: TimerHandlers) {
    this.#spec = spec;
    this.#handlers = handlers;
  }

  get nextDayMs(): number {
    return this.#nextDayMs;
  }

  armFlush(): void {
    if (this.#flush !== undefined || this.#cleared) return;
    this.#flush = later(this.#spec.flushIntervalMs, () => {
      this.#flush = undefined;
      this.#handlers.flush();
    });
  }

  armRetry(): void {
    if (this.#retry !== undefined || this.#cleared) return;
    this.#retry = later(Math.max(this.#spec.flushIntervalMs, 200), () => {
      this.#retry = undefined;
      this.#handlers.retry();
    });
  }

  /**
   * Arms the next wall-clock boundary of rotate_period. The handler runs only once
   * the clock the file names use has reached the boundary: timers run on a monotonic
   * clock and may fire a little before it, which used to reopen the same suffixed
   * name and then rotate a second time for the same boundary (issue 12, point 16).
   */
  armPeriod(): void {
    const periodS = this.#spec.rotation.periodS;
    if (periodS <= 0 || this.#cleared) return;
    const boundary = nextPeriodMs(this.#spec.now(), periodS);
    const check = () => {
      this.#period = undefined;
      const now = this.#spec.now();
      if (now < boundary) {
        this.#period = later(Math.max(1, boundary - now), check);
        return;
      }
      this.#handlers.period();
      this.armPeriod();
    };
    this.#period = later(boundary - this.#spec.now(), check);
  }

  /** Sets the next midnight; Infinity while a roll is in progress. */
  setNextDay(ms: number): void {
    this.#nextDayMs = ms;
    if (this.#day !== undefined) clearTimeout(this.#day);
    this.#day = undefined;
    if (!Number.isFinite(ms) || this.#cleared) return;
    const check = () => {
      this.#day = undefined;
      if (this.#spec.now() >= this.#nextDayMs) this.#handlers.day();
      else this.#day = later(Math.max(1000, this.#nextDayMs - this.#spec.now()), check);
    };
    this.#day = later(Math.max(1000, ms - this.#spec.now()), check);
  }

  logFailure(logger: Logger, error: Error, file: string): void {
    const now = Date.now();
    if (now - this.#lastLogMs < FAILURE_LOG_EVERY_MS) {
      this.#suppressed++;
      return;
    }
    logger.error({ err: error, file, suppressed: this.#suppressed }, 'Cannot write events file; events stay queued and are retried.');
    this.#lastLogMs = now;
    this.#suppressed = 0;
  }

  clear(): void {
    this.#cleared = true;
    for (const timer of [this.#flush, this.#retry, this.#period, this.#day]) if (timer !== undefined) clearTimeout(timer);
    this.#flush = this.#retry = this.#period = this.#day = undefined;
  }
}
