import { AsyncLocalStorage } from 'node:async_hooks';
import type { Backend, BackendFactory } from '../bus/backend.js';
import type { BackendRegistry } from '../bus/backend-registry.js';
import type { HeraldEvent } from '../events/event.js';
import { E_CORE_LOG } from '../events/packs/core.js';

/*
 * The E_CORE_LOG recursion guard. A log line produced while E_CORE_LOG is
 * being delivered must not raise E_CORE_LOG again (OpenSIPS: the per-process
 * "suppressed" flag in dprint.c). Herald delivers asynchronously, so "while"
 * spans ticks; three layers cover it:
 *
 *   log ─▶ destination ─┬─ (1) sync flag: a tap or filter that logs inside raise()
 *                       └─ (2) raise inside suppress context ─▶ DeliveryRunner's
 *                              setImmediate inherits it ─▶ pump ─▶ backend.write
 *   backend.write(batch with E_CORE_LOG) ─ (3) runs inside suppress context
 *
 * (2) and (3) use AsyncLocalStorage, so everything a write starts (awaits,
 * timers, callbacks) stays suppressed too. (3) needs the backend factories
 * wrapped (guardBackendFactories); (2) covers factories registered later
 * whenever the delivery was kicked off by the E_CORE_LOG raise itself.
 * Over-suppression is possible (another event's write that shares a pump
 * started by E_CORE_LOG); a loop is not.
 */
const suppressed = new AsyncLocalStorage<true>();
let syncDepth = 0;

/** Whether a log line produced right now must not raise E_CORE_LOG. */
export function logEventsSuppressed(): boolean {
  return syncDepth > 0 || suppressed.getStore() === true;
}

/** Runs `fn` (and everything it starts asynchronously) with E_CORE_LOG suppressed. */
export function runWithLogEventsSuppressed<T>(fn: () => T): T {
  syncDepth++;
  try {
    return suppressed.run(true, fn);
  } finally {
    syncDepth--;
  }
}

const GUARDED = Symbol('herald.logGuarded');

function carriesLogEvent(batch: readonly HeraldEvent[]): boolean {
  for (const event of batch) if (event.def === E_CORE_LOG || event.name === E_CORE_LOG.name) return true;
  return false;
}

/**
 * The backend seen through a Proxy whose `write` runs suppressed when the
 * batch holds E_CORE_LOG. Every other member is the backend's own (bound), so
 * extra methods such as a file backend's reopen keep working.
 */
export function guardBackend(backend: Backend): Backend {
  const write = (batch: readonly HeraldEvent[]) => (carriesLogEvent(batch)
    ? runWithLogEventsSuppressed(() => backend.write(batch))
    : backend.write(batch));
  return new Proxy(backend, {
    get(target, property) {
      if (property === 'write') return write;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

function guardFactory(factory: BackendFactory): BackendFactory {
  return {
    transport: factory.transport,
    description: factory.description,
    // Where it connects is the wrapped factory's to say (delivery.allowed_destinations).
    ...(factory.destinations !== undefined ? { destinations: factory.destinations.bind(factory) } : {}),
    create: (address, ctx) => guardBackend(factory.create(address, ctx)),
    [GUARDED]: true,
  } as BackendFactory;
}

/**
 * Re-registers every transport of the registry with its backends guarded.
 * Backends created afterwards (new subscriptions) are guarded; existing ones
 * and transports registered later are not (layer 2 still covers them).
 * Idempotent.
 */
export function guardBackendFactories(registry: BackendRegistry): void {
  for (const transport of registry.transports()) {
    const factory = registry.get(transport);
    if ((factory as BackendFactory & { [GUARDED]?: boolean })[GUARDED] === true) continue;
    registry.register(guardFactory(factory));
  }
}
