/**
 * One timer watches every in-flight backend write, instead of a setTimeout per
 * write: at one event per event-loop turn, creating and clearing a timer per
 * write was a measurable share of delivery cost (docs/benchmarks.md, instrument).
 * The timer ticks while writes are in flight and stops one tick after the last.
 */
export interface WatchedWrite {
  readonly deadlineMs: number;
  expire(): void;
}

const TICK_MS = 10;
const inFlight = new Set<WatchedWrite>();
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  if (inFlight.size === 0) {
    clearInterval(timer);
    timer = undefined;
    return;
  }
  const now = Date.now();
  for (const write of inFlight) {
    if (write.deadlineMs <= now) {
      inFlight.delete(write);
      write.expire();
    }
  }
}

/** Calls `expire` once the deadline passes, unless `unwatch` comes first. */
export function watchWrite(write: WatchedWrite): void {
  inFlight.add(write);
  // Ref'd on purpose: a drain() may be waiting for this write to settle or time out.
  timer ??= setInterval(tick, TICK_MS);
}

export function unwatchWrite(write: WatchedWrite): void {
  inFlight.delete(write);
}
