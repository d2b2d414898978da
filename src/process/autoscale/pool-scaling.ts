import type { Bus } from '../../bus/bus.js';
import { E_CORE_PROC_AUTO_SCALE } from '../../events/packs/core.js';
import { SR_STATUS, type StatusRegistry } from '../../runtime/status/registry.js';
import type { AutoScaleProfile } from './profile.js';
import { AutoScaler } from './scaler.js';

/** What PoolScaling needs from the pool it scales. */
export interface ScalablePool {
  readonly name: string;
  readonly filter: string;
  readonly size: number;
  takeBusy(): Array<{ readonly id: number; readonly busyMs: number }>;
  grow(): number;
  shrink(): number | undefined;
}

export interface PoolScalingOptions {
  readonly profile: AutoScaleProfile;
  /** Length of a cycle (OpenSIPS auto_scaling_cycle). */
  readonly cycleMs: number;
  readonly bus?: Pick<Bus, 'raise'> | undefined;
  readonly status?: StatusRegistry | undefined;
}

/** The status/report group OpenSIPS reports forks and kills in. */
export const AUTO_SCALING_GROUP = 'auto-scaling';

/**
 * Drives a pool from an unref'd cycle timer: measures the cycle's load (busy
 * time of the live threads over the cycle length, averaged), asks the
 * AutoScaler, grows or drains one thread, raises E_CORE_PROC_AUTO_SCALE and
 * adds a report to the `auto-scaling` status group (identifier: the pool name).
 */
export class PoolScaling {
  readonly #pool: ScalablePool;
  readonly #scaler: AutoScaler;
  readonly #options: PoolScalingOptions;
  readonly #timer: NodeJS.Timeout;
  #lastMs = performance.now();

  constructor(pool: ScalablePool, options: PoolScalingOptions) {
    this.#pool = pool;
    this.#options = options;
    this.#scaler = new AutoScaler(options.profile);
    options.status?.register(AUTO_SCALING_GROUP, pool.name, SR_STATUS.READY, `${pool.size} workers`);
    this.#timer = setInterval(() => this.cycle(), options.cycleMs);
    this.#timer.unref();
  }

  /** One cycle (what the timer runs); returns the decision taken. */
  cycle(): 'up' | 'down' | undefined {
    const now = performance.now();
    const elapsedMs = Math.max(1, now - this.#lastMs);
    this.#lastMs = now;
    const busy = this.#pool.takeBusy();
    if (busy.length === 0) return undefined;
    const total = busy.reduce((sum, worker) => sum + Math.min(worker.busyMs, elapsedMs), 0);
    const load = Math.round((total * 100) / (elapsedMs * busy.length));
    const decision = this.#scaler.cycle(load, busy.length);
    if (decision === 'up') this.#report('up', this.#pool.grow(), load);
    if (decision === 'down') {
      const id = this.#pool.shrink();
      if (id === undefined) return undefined;
      this.#report('down', id, load);
    }
    return decision;
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#options.status?.unregister(AUTO_SCALING_GROUP, this.#pool.name);
  }

  #report(scale: 'up' | 'down', processId: number, load: number): void {
    const pool = this.#pool;
    this.#options.bus?.raise(E_CORE_PROC_AUTO_SCALE, {
      group_type: pool.name, group_filter: pool.filter, group_load: load, scale, process_id: processId, pid: process.pid,
    });
    const status = this.#options.status;
    if (status?.hasGroup(AUTO_SCALING_GROUP) === true) {
      status.setStatus(AUTO_SCALING_GROUP, pool.name, SR_STATUS.READY, `${pool.size} workers`);
      status.report(AUTO_SCALING_GROUP, pool.name, `scaled ${scale} (worker ${processId}) at ${load}% load: ${pool.size} workers`);
    }
  }
}
