import type { Runtime, Service, ServiceStarter } from '../runtime/service.js';
import { parseAutoScaleProfile, type AutoScaleProfile } from './autoscale/profile.js';
import { SipParsePool } from './autoscale/sip-parse-pool.js';
import { instrument } from './instrument/index.js';
import { guardBackendFactories, heraldPinoDestination, teeLogger } from './log-events.js';
import { watchMemory } from './memory.js';
import { statusRegistryOf } from '../runtime/status.js';
import { watchTcpDisconnects } from './tcp.js';
import { watchBuiltinSources } from './threshold-sources/index.js';
import { createThresholds, type Thresholds } from './thresholds.js';

/** `runtime.shared` keys this service publishes. */
export const THRESHOLDS_SHARED_KEY = 'thresholds';
export const SIP_PARSE_POOL_SHARED_KEY = 'sip_parse_pool';

/** The thresholds API another service may time its work with (e.g. the trace store: `time('store', …)`). */
export function sharedThresholds(runtime: Pick<Runtime, 'shared'>): Thresholds | undefined {
  return runtime.shared.get(THRESHOLDS_SHARED_KEY) as Thresholds | undefined;
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
  runtime.shared.set(SIP_PARSE_POOL_SHARED_KEY, pool);
  runtime.announce(`sip parse pool ${pool.pool.size} worker(s), profile "${autoscale.profile}"`);
  return pool;
}

/**
 * Core events about this process (docs/core-events.md), from config
 * `core_events`: thresholds (published as runtime.shared 'thresholds'), memory
 * thresholds, TCP disconnects, log events, Dovecot-style instrumentation and
 * the auto-scaled SIP parse pool (runtime.shared 'sip_parse_pool').
 */
export const startCoreEventsService: ServiceStarter = async (runtime) => {
  const config = runtime.config.core_events;
  if (!config.enabled) return undefined;
  // Checked before anything is installed, so a bad profile leaves nothing behind.
  const profile = config.autoscale.profile.trim() === '' ? undefined : parseAutoScaleProfile(config.autoscale.profile);
  const { bus } = runtime;
  const thresholds = createThresholds({
    bus, thresholdsUs: config.thresholds_us, extraMaxLength: config.threshold_extra_length, logger: runtime.logger,
  });
  runtime.shared.set(THRESHOLDS_SHARED_KEY, thresholds);
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
  const service: Service = {
    name: 'core-events',
    stop: () => {
      stopping ??= (async () => {
        for (const dispose of disposers.reverse()) dispose();
        runtime.shared.delete(THRESHOLDS_SHARED_KEY);
        runtime.shared.delete(SIP_PARSE_POOL_SHARED_KEY);
        await pool?.close();
      })();
      return stopping;
    },
  };
  return service;
};
