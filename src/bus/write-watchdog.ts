/**
 * One timer watches every in-flight backend write, instead of a setTimeout per
 * write: at one event per event-loop turn, creating and clearing a timer per
 * write was a measurable share of delivery cost (docs/benchmarks.md, instrument).
 * Time is counted in ticks, so starting a write reads no clock. The timer runs
 * while writes are in flight and stops one tick after the last.
 */
export interface WatchedWriter {
  readonly writeTimeoutMs: number;
  /** The tick its current write started at, or undefined when none is in flight. */
  readonly writeStartedTick: number | undefined;
  expireWrite(): void;
}

const TICK_MS = 10;
const inFlight = new Set<WatchedWriter>();
let ticks = 0;
let timer: NodeJS.Timeout | undefined;

function tick(): void {
  ticks++;
  if (inFlight.size === 0) {
    clearInterval(timer);
    timer = undefined;
    return;
  }
  for (const writer of inFlight) {
    const started = writer.writeStartedTick;
    // Minus one: the write began somewhere inside its first tick, so count only whole ones.
    if (started === undefined || (ticks - started - 1) * TICK_MS >= writer.writeTimeoutMs) {
      inFlight.delete(writer);
      writer.expireWrite();
    }
  }
}

/** Watches a writer's current write; returns the tick it started at. */
export function watchWrite(writer: WatchedWriter): number {
  inFlight.add(writer);
  // Ref'd on purpose: a drain() may be waiting for this write to settle or time out.
  timer ??= setInterval(tick, TICK_MS);
  return ticks;
}

export function unwatchWrite(writer: WatchedWriter): void {
  inFlight.delete(writer);
}
