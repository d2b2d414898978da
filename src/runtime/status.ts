import type { Runtime } from './service.js';
import { StatusRegistry } from './status/registry.js';

export { SR_STATUS, StatusRegistry } from './status/registry.js';
export type { IdentifierState, StatusRegistryOptions, StatusReport } from './status/registry.js';

/** The slot holding the daemon's status/report registry. */
export const STATUS_SLOT = 'runtime.status';

declare module './slots.js' {
  interface Slots {
    [STATUS_SLOT]: StatusRegistry;
  }
}

/**
 * The daemon's status/report registry. `herald serve` creates it (group
 * `core`/`main` carries Herald's own state: -1 initializing, 1 running,
 * -2 terminating); MI's sr_* commands and GET /health read it, and every status
 * change raises E_CORE_SR_STATUS_CHANGED with `old_status`. A runtime built
 * without one (an embedding application) gets one bound to its bus here.
 */
export function statusRegistryOf(runtime: Pick<Runtime, 'slots' | 'bus'>): StatusRegistry {
  const existing = runtime.slots.get(STATUS_SLOT);
  if (existing !== undefined) return existing;
  const created = new StatusRegistry({ bus: runtime.bus });
  runtime.slots.set(STATUS_SLOT, created);
  return created;
}
