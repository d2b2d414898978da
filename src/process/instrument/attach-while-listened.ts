import type { Bus } from '../../bus/bus.js';
import type { EventDef } from '../../events/define.js';

/** What instrument() needs of a bus. Without `onListenersChanged` the hooks stay attached. */
export type InstrumentBus = Pick<Bus, 'raise' | 'enabled'> & Partial<Pick<Bus, 'onListenersChanged'>>;

/**
 * Keeps a set of hooks attached only while someone listens to one of `events`:
 * with nobody listening, Node and undici see no diagnostics_channel subscriber
 * and build no messages, and no wrapper sits in front of dns.lookup or fetch,
 * so the instrumentation costs nothing at all. Operations already under way
 * when the hooks go keep their own listeners and finish normally.
 */
export function attachWhileListened(bus: InstrumentBus, events: readonly EventDef[], attach: () => () => void): () => void {
  let detach: (() => void) | undefined;
  const sync = (): void => {
    const wanted = events.some((event) => bus.enabled(event));
    if (wanted && detach === undefined) detach = attach();
    else if (!wanted && detach !== undefined) {
      detach();
      detach = undefined;
    }
  };
  const stopWatching = bus.onListenersChanged?.(sync);
  if (stopWatching === undefined) detach = attach(); // no change notifications: attach for good
  else sync();
  return () => {
    stopWatching?.();
    detach?.();
    detach = undefined;
  };
}
