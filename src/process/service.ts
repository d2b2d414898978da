import { defineService, type Runtime, type Service } from '../runtime/service.js';
import { parseAutoScaleProfile, type AutoScaleProfile } from './autoscale/profile.js';
import { SipParsePool } from './autoscale/sip-parse-pool.js';
import { instrument } from './instrument/index.js';
import { guardBackendFactories, heraldPinoDestination, teeLogger } from './log-events.js';
import { watchMemory } from './memory.js';
import { STATUS_SLOT, statusRegistryOf } from '../runtime/status.js';
import { watchTcpDisconnects } from './tcp.js';
import { watchBuiltinSources } from './threshold-sources/index.js';
import { createThresholds, type Thresholds } from './thresholds.js';

/** The slots this service provides. */
export const THRESHOLDS_SLOT = 'process.thresholds';
export const SIP_PARSE_POOL_SLOT = 'sip.parse-pool';

declare module '../runtime/slots.js' {
  interface Slots {
    /** The thresholds API another service may time its work with (e.g. the trace store: `time('store', …)`). */
    [THRESHOLDS_SLOT]: Thresholds;
    /** The auto-scaled SIP parse pool, when `core_events.autoscale.profile` is set. */
    [SIP_PARSE_POOL_SLOT]: SipParsePool;
  }
}

/** The thresholds API another service may time its work with (e.g. the trace store: `time('store', …)`). */
export function sharedThresholds(runtime: Pick<Runtime, 'slots'>): Thresholds | undefined {
  return runtime.slots.get(THRESHOLDS_SLOT);
}

function startLogEvents(runtime: Runtime): () => void {
  const config = runtime.config.core_events;
  if (!config.log_event_enabled) return () => {};
  guardBackendFactories(runtime.bus.backends);
  const destination = heraldPinoDestination(runtime.bus, { level: config.log_event_level, prefix: config.log_prefix });
  return teeLogger(runtime.logger, destination);
}

function startParsePool(runtime: Runtime, profile: AutoScaleProfile | undefined): SipParsePool | undefined {
  if (profile === undefined) return undefined;
  const { autoscale } = runtime.config.core_events;
  const pool = new SipParsePool({ profile, cycleMs: autoscale.cycle_ms, bus: runtime.bus, status: statusRegistryOf(runtime) });
  runtime.slots.set(SIP_PARSE_POOL_SLOT, pool);
  runtime.announce(`sip parse pool ${pool.pool.size} worker(s), profile "${autoscale.profile}"`);
  return pool;
}

async function startCoreEvents(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.core_events;
  if (!config.enabled) return undefined;
  // Checked before anything is installed, so a bad profile leaves nothing behind.
  const profile = config.autoscale.profile.trim() === '' ? undefined : parseAutoScaleProfile(config.autoscale.profile);
  const { bus } = runtime;
  const thresholds = createThresholds({
    bus, thresholdsUs: config.thresholds_us, extraMaxLength: config.threshold_extra_length, logger: runtime.logger,
  });
  runtime.slots.set(THRESHOLDS_SLOT, thresholds);
  const memory = watchMemory({
    bus,
    heapThresholdPercent: config.memory.heap_threshold_percent,
    rssThresholdPercent: config.memory.rss_threshold_percent,
    intervalMs: config.memory.sample_interval_ms,
  });
  const disposers = [
    watchBuiltinSources(thresholds),
    () => memory.stop(),
    config.tcp_disconnect ? watchTcpDisconnects(bus) : () => {},
    startLogEvents(runtime),
    instrument(bus, config.instrument),
  ];
  const pool = startParsePool(runtime, profile);
  let stopping: Promise<void> | undefined;
  // Nothing here drains: the pool rejects queued batches and its callers parse them on the main thread.
  const stop = () => {
    stopping ??= (async () => {
      for (const dispose of disposers.reverse()) dispose();
      runtime.slots.delete(THRESHOLDS_SLOT);
      runtime.slots.delete(SIP_PARSE_POOL_SLOT);
      await pool?.close();
    })();
    return stopping;
  };
  const service: Service = { name: 'core-events', close: stop, destroy: stop };
  return service;
}

/**
 * Core events about this process (docs/core-events.md), from config
 * `core_events`: thresholds (slot `process.thresholds`), memory
 * thresholds, TCP disconnects, log events, Dovecot-style instrumentation and
 * the auto-scaled SIP parse pool (slot `sip.parse-pool`).
 */
export const startCoreEventsService = defineService({
  name: 'core-events',
  provides: [THRESHOLDS_SLOT, SIP_PARSE_POOL_SLOT],
  uses: [STATUS_SLOT],
  start: startCoreEvents,
});
