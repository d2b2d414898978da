/**
 * OpenSIPS's raise rule for E_CORE_PKG_THRESHOLD / E_CORE_SHM_THRESHOLD
 * (mem/mem.c), as a pure state machine fed one usage percentage at a time:
 *
 * - usage goes from below to at-or-above the threshold  → raise (crossing up);
 * - usage stays at-or-above and its whole percent changes → raise again;
 * - usage drops back below after being at-or-above        → raise once;
 * - anything else (below and staying below, same percent) → nothing.
 *
 * A threshold of 0 disables the rule. One deliberate difference: OpenSIPS
 * tests `last_reported <= threshold` for the drop, so a crossing that reached
 * exactly the threshold never gets its drop-below event; here it does.
 */
export class ThresholdTracker {
  readonly thresholdPercent: number;
  /** The percentage last reported while at-or-above; undefined while below. */
  #lastAbove: number | undefined;

  constructor(thresholdPercent: number) {
    if (!Number.isInteger(thresholdPercent) || thresholdPercent < 0 || thresholdPercent > 100) {
      throw new RangeError(`A memory threshold is a whole percentage 0–100, got ${thresholdPercent}`);
    }
    this.thresholdPercent = thresholdPercent;
  }

  /** Whether this sample must raise the event. `usagePercent` is truncated to a whole percent. */
  update(usagePercent: number): boolean {
    if (this.thresholdPercent === 0) return false;
    const usage = Math.trunc(usagePercent);
    if (usage >= this.thresholdPercent) {
      if (usage === this.#lastAbove) return false;
      this.#lastAbove = usage;
      return true;
    }
    if (this.#lastAbove === undefined) return false;
    this.#lastAbove = undefined;
    return true;
  }

  /** Whether the last sample was at or above the threshold. */
  get above(): boolean {
    return this.#lastAbove !== undefined;
  }
}

/** Whole percent of `used` in `size`, as OpenSIPS computes it (`used*100/size`), capped at 100. */
export function usagePercent(used: number, size: number): number {
  if (!(size > 0)) return 0;
  return Math.min(100, Math.floor((used * 100) / size));
}
