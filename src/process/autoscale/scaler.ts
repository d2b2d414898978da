import type { AutoScaleProfile } from './profile.js';

export type ScaleDecision = 'up' | 'down' | undefined;

/**
 * OpenSIPS's per-cycle decision (pt_scaling.c `do_workers_auto_scaling`), as
 * a pure state machine fed one load sample per cycle:
 *
 * - the cycle's load (average busy % of the group's workers) enters a history;
 * - up:   at least C of the last W loads are strictly above X, and workers < N;
 *         the history is then rescaled by workers/(workers+1) (the same work
 *         spread over one more worker) and scale-down is held off again;
 * - down: all of the last D loads are strictly below Y, workers > M, the
 *         hold-off (10×D cycles) is over, and the load estimated for one worker
 *         fewer stays under X.
 */
export class AutoScaler {
  readonly profile: AutoScaleProfile;
  readonly #history: Uint8Array;
  #index = 0;
  #filled = 0;
  #holdOff: number;

  constructor(profile: AutoScaleProfile) {
    this.profile = profile;
    this.#history = new Uint8Array(Math.max(profile.upCyclesWindow, profile.downCycles, 1));
    this.#holdOff = profile.downDelayCycles;
  }

  /** Feeds one cycle's load (0–100) for a group of `workers`; returns what to do. */
  cycle(loadPercent: number, workers: number): ScaleDecision {
    const size = this.#history.length;
    this.#index = (this.#index + 1) % size;
    this.#history[this.#index] = Math.max(0, Math.min(100, Math.round(loadPercent)));
    this.#filled = Math.min(this.#filled + 1, size);
    const decision = this.#decide(workers);
    if (this.#holdOff > 0) this.#holdOff--;
    return decision;
  }

  /** The last W (or D) loads, newest first. */
  recent(count: number): number[] {
    const out: number[] = [];
    const size = this.#history.length;
    for (let i = 0; i < Math.min(count, this.#filled); i++) out.push(this.#history[(this.#index - i + size) % size]);
    return out;
  }

  #decide(workers: number): ScaleDecision {
    const p = this.profile;
    const upLoads = this.recent(p.upCyclesWindow);
    const over = upLoads.filter((load) => load > p.upThresholdPercent).length;
    if (over >= p.upCyclesNeeded) {
      if (workers >= p.maxWorkers) return undefined;
      this.#rescale(workers, workers + 1);
      this.#holdOff = p.downDelayCycles;
      return 'up';
    }
    if (p.downCycles === 0 || workers <= p.minWorkers || this.#holdOff > 0) return undefined;
    const downLoads = this.recent(p.downCycles);
    if (downLoads.length < p.downCycles || downLoads.some((load) => !(load < p.downThresholdPercent))) return undefined;
    const average = downLoads.reduce((sum, load) => sum + load, 0) / p.downCycles;
    return (average * workers) / (workers - 1) < p.upThresholdPercent ? 'down' : undefined;
  }

  #rescale(from: number, to: number): void {
    for (let i = 0; i < this.#history.length; i++) this.#history[i] = Math.floor((this.#history[i] * from) / to);
  }
}
