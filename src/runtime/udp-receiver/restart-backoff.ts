/*
 * When to start a crashed receive thread again: after 100 ms, then after twice as long each
 * time up to 5 s, whether starting failed (the port taken meanwhile, the thread dying before
 * it binds) or the thread started died again soon. Only a thread that ran for STABLE_AFTER_MS
 * earns the next crash a 100 ms restart, so a thread that dies right after binding is not
 * restarted ten times a second.
 */

export const FIRST_RESTART_DELAY_MS = 100;
export const MAX_RESTART_DELAY_MS = 5000;
export const STABLE_AFTER_MS = 30_000;

/** One try: true when it succeeded. Told the delay before the next try if it fails (for its log line); must not throw. */
export type RestartAttempt = (retryInMs: number) => Promise<boolean>;

export class RestartBackoff {
  readonly #attempt: RestartAttempt;
  #delayMs = FIRST_RESTART_DELAY_MS;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #cancelled = false;
  /** When the last try succeeded (performance.now()). */
  #startedAtMs: number | undefined;

  constructor(attempt: RestartAttempt) {
    this.#attempt = attempt;
  }

  /** Tries after the current delay, and again until a try succeeds or cancel() is called; a no-op while already trying. */
  schedule(): void {
    if (this.#cancelled || this.#timer !== undefined || this.#running !== undefined) return;
    if (this.#startedAtMs !== undefined && performance.now() - this.#startedAtMs >= STABLE_AFTER_MS) this.#delayMs = FIRST_RESTART_DELAY_MS;
    this.#startedAtMs = undefined;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#try().finally(() => {
        this.#running = undefined;
      });
    }, this.#delayMs);
  }

  /** No further tries; resolves once a try under way has ended. */
  async cancel(): Promise<void> {
    this.#cancelled = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  async #try(): Promise<void> {
    const next = Math.min(this.#delayMs * 2, MAX_RESTART_DELAY_MS);
    const started = await this.#attempt(next);
    this.#delayMs = next;
    if (started) {
      this.#startedAtMs = performance.now();
      return;
    }
    this.#running = undefined;
    this.schedule();
  }
}
