import { defineService, type Runtime, type Service } from '../runtime/service.js';
import { instrument } from './instrument/index.js';
import { guardBackendFactories, heraldPinoDestination, teeLogger } from './log-events.js';
import { watchMemory } from './memory.js';
import { watchTcpDisconnects } from './tcp.js';
import { watchBuiltinSources } from './threshold-sources/index.js';
import { createThresholds, type Thresholds } from './thresholds.js';

/** The slot this service provides. */
export const THRESHOLDS_SLOT = 'process.thresholds';

declare module '../runtime/slots.js' {
  interface Slots {
    /** The thresholds API another service may time its work with (e.g. the trace store: `time('store', …)`). */
    [THRESHOLDS_SLOT]: Thresholds;
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

async function startCoreEvents(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.core_events;
  if (!config.enabled) return undefined;
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
  let stopping: Promise<void> | undefined;
  // Nothing here drains: each watcher detaches at once.
  const stop = () => {
    stopping ??= (async () => {
      for (const dispose of disposers.reverse()) dispose();
      runtime.slots.delete(THRESHOLDS_SLOT);
    })();
    return stopping;
  };
  const service: Service = { name: 'core-events', close: stop, destroy: stop };
  return service;
}

/**
 * Core events about this process (docs/core-events.md), from config
 * `core_events`: thresholds (slot `process.thresholds`), memory
 * thresholds, TCP disconnects, log events and Dovecot-style instrumentation.
 * The auto-scaled SIP parse pool (same config section) is its own service,
 * trace/sip-pool/service.ts.
 */
export const startCoreEventsService = defineService({
  name: 'core-events',
  provides: [THRESHOLDS_SLOT],
  start: startCoreEvents,
});
