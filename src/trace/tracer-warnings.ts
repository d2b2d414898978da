import type { Logger } from '../log/logger.js';

/**
 * Warnings about bad packets or unreachable destinations, at most one per key
 * per interval: a flood of garbage must not become a flood of log lines. The
 * line after a quiet spell says how many were suppressed.
 */
export class RateLimitedWarnings {
  readonly #logger: Logger | undefined;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #state = new Map<string, { last: number; suppressed: number }>();

  constructor(logger: Logger | undefined, options: { readonly intervalMs?: number; readonly now?: () => number } = {}) {
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Logs `message` with `fields` unless this key was logged less than an interval ago. Returns whether it logged. */
  warn(key: string, fields: Readonly<Record<string, unknown>>, message: string): boolean {
    const now = this.#now();
    const state = this.#state.get(key);
    if (state !== undefined && now - state.last < this.#intervalMs) {
      state.suppressed++;
      return false;
    }
    if (this.#state.size > 1000) this.#state.clear(); // keys are reasons and destinations: a few dozen
    this.#state.set(key, { last: now, suppressed: 0 });
    this.#logger?.warn({ ...fields, suppressed: state?.suppressed ?? 0 }, message);
    return true;
  }
}
