import { monotonicUs, type Thresholds } from '../thresholds.js';

export interface EventLoopWatchOptions {
  /** How often the loop is probed. Default 10 ms; a block shorter than the threshold never shows. */
  readonly sampleMs?: number;
}

/**
 * Source `event_loop`: a self-rescheduling timer measures how late it fires.
 * While the loop is blocked (a busy handler, a sync fs call, a long GC) the
 * armed timer cannot run, so its lateness is the time the loop was stuck.
 * The timer is unref'd: it never keeps the process alive.
 */
export function watchEventLoop(thresholds: Thresholds, options: EventLoopWatchOptions = {}): () => void {
  const sampleMs = options.sampleMs ?? 10;
  let expectedUs = 0;
  let timer: NodeJS.Timeout | undefined;

  const arm = (): void => {
    expectedUs = monotonicUs() + sampleMs * 1000;
    timer = setTimeout(probe, sampleMs);
    timer.unref();
  };
  const probe = (): void => {
    const lagUs = monotonicUs() - expectedUs;
    thresholds.record('event_loop', lagUs, () => `event loop blocked for ${(lagUs / 1000).toFixed(1)} ms`);
    arm();
  };

  arm();
  return () => {
    clearTimeout(timer);
    timer = undefined;
  };
}
