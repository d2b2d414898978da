import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT, statusRegistryOf } from '../../runtime/status.js';
import { parseAutoScaleProfile } from '../../process/autoscale/profile.js';
import { SipParsePool } from './sip-parse-pool.js';

/** The slot holding the daemon's SIP parse pool. */
export const SIP_PARSE_POOL_SLOT = 'sip.parse-pool';

declare module '../../runtime/slots.js' {
  interface Slots {
    /** The auto-scaled SIP parse pool, when `core_events.autoscale.profile` is set. */
    [SIP_PARSE_POOL_SLOT]: SipParsePool;
  }
}

async function startSipParsePool(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.core_events;
  if (!config.enabled || config.autoscale.profile.trim() === '') return undefined;
  const { autoscale } = config;
  const profile = parseAutoScaleProfile(autoscale.profile);
  const pool = new SipParsePool({ profile, cycleMs: autoscale.cycle_ms, bus: runtime.bus, status: statusRegistryOf(runtime) });
  runtime.slots.set(SIP_PARSE_POOL_SLOT, pool);
  runtime.announce(`sip parse pool ${pool.pool.size} worker(s), profile "${autoscale.profile}"`);
  let closing: Promise<void> | undefined;
  // Nothing drains here: closing rejects queued batches and the collectors parse those on the main thread.
  const close = () => {
    closing ??= (async () => {
      runtime.slots.delete(SIP_PARSE_POOL_SLOT);
      await pool.close();
    })();
    return closing;
  };
  return { name: 'sip-parse-pool', close, destroy: close };
}

/**
 * The auto-scaled SIP parse pool for the collectors' ingest path, from config
 * `core_events.autoscale` (OpenSIPS's auto-scaling profile). A bad profile stops
 * the daemon from starting with HERALD_ERR_CONFIG naming the wrong word.
 */
export const startSipParsePoolService = defineService({
  name: 'sip-parse-pool',
  provides: [SIP_PARSE_POOL_SLOT],
  uses: [STATUS_SLOT],
  start: startSipParsePool,
});
