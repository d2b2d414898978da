import { E_TRACE_STORE_ERROR } from '../events/packs/trace.js';
import { registerIngestCounters } from '../runtime/ingest-counters.js';
import { miCommandRegistry } from '../runtime/mi/registry.js';
import { sharedThresholds } from '../process/service.js';
import type { Runtime, Service, ServiceStarter } from '../runtime/service.js';
import { storeKey } from './destinations/create.js';
import { StoreDestination } from './destinations/store.js';
import { createDestinationPolicy } from './destination-policy.js';
import { TraceIngest } from './ingest.js';
import { openTraceStore } from './store/open.js';
import type { TraceStore } from './store/types.js';
import { Tracer } from './tracer.js';
import { parseTraceId } from './tracer-ids.js';
import { traceCommands } from './tracer-mi.js';

/** `runtime.shared` keys the trace service publishes for the collectors and MI. */
export const TRACER_KEY = 'trace.tracer';
export const TRACE_STORE_KEY = 'trace.store';
export const TRACE_INGEST_KEY = 'trace.ingest';
/** The store's trace id, as OpenSIPS names the id its old db_url parameters form. */
export const STORE_TRACE_ID = 'default';

const RETENTION_EVERY_MS = 3_600_000;

/** The daemon's tracer, for the collectors. */
export function sharedTracer(runtime: Pick<Runtime, 'shared'>): Tracer | undefined {
  return runtime.shared.get(TRACER_KEY) as Tracer | undefined;
}

/** Times each store write as E_CORE_THRESHOLD source `store` when core events set a threshold for it. */
function timedWrites(store: TraceStore, runtime: Runtime): TraceStore {
  const thresholds = sharedThresholds(runtime);
  if (thresholds === undefined) return store;
  return {
    kind: store.kind,
    table: store.table,
    location: store.location,
    open: () => store.open(),
    insertBatch: (rows) => (thresholds.active('store')
      ? thresholds.time('store', () => store.insertBatch(rows), () => `INSERT ${rows.length} rows INTO ${store.table}`)
      : store.insertBatch(rows)),
    search: (query) => store.search(query),
    byCallId: (callid) => store.byCallId(callid),
    count: () => store.count(),
    applyRetention: (keepDays, nowMs) => store.applyRetention(keepDays, nowMs),
    close: () => store.close(),
  };
}

/** Deletes old rows at start and hourly, never two passes at once; failures are logged, not fatal. */
function scheduleRetention(runtime: Runtime, store: TraceStore): () => Promise<void> {
  const keepDays = runtime.config.trace.keep_days;
  if (keepDays === 0) return async () => {};
  let running: Promise<void> = Promise.resolve();
  const pass = () => {
    running = running.then(async () => {
      const result = await store.applyRetention(keepDays);
      if (result.deletedRows > 0 || result.droppedPartitions.length > 0) runtime.logger.info({ ...result, keepDays }, 'Trace retention removed old messages.');
    }).catch((error: unknown) => runtime.logger.warn({ err: error }, 'Trace retention failed; retrying in an hour.'));
  };
  pass();
  const timer = setInterval(pass, RETENTION_EVERY_MS).unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}

/** The stores the config names, as storeKey()s: trace_start may use only these. */
function configuredStores(config: Runtime['config']['trace']): string[] {
  const inIds = config.ids.map((text) => parseTraceId(text).destination).flatMap((spec) => (spec.kind === 'store' ? [storeKey(spec.url, spec.table)] : []));
  return [storeKey(config.store, config.table), ...inIds];
}

async function openTracer(runtime: Runtime, ingest: TraceIngest): Promise<Tracer> {
  const config = runtime.config.trace;
  const tracer = await Tracer.open({
    ids: config.ids,
    enabled: config.trace_on,
    captureId: config.capture_id,
    node: config.node,
    dataDir: runtime.dataDir,
    fileRoots: runtime.fileRoots,
    logger: runtime.logger,
    hepAuthKey: runtime.config.hep.auth_key,
    sharedStores: new Map([[storeKey(config.store, config.table), ingest]]),
    checkRuntimeDestination: createDestinationPolicy({ allowed: config.allowed_destinations, configuredStores: configuredStores(config) }),
    ingest: { maxBatchRows: config.max_batch_rows, flushIntervalMs: config.flush_interval_ms, maxQueueRows: config.max_queue_rows },
  });
  tracer.addDestination(STORE_TRACE_ID, new StoreDestination(ingest, { owned: false, uri: config.store }));
  return tracer;
}

/**
 * The trace store and the daemon's tracer: opens (creates or migrates) the
 * store, starts the batching ingest, builds the tracer from `trace.ids` plus
 * the store as id `default`, registers the tracing MI commands and the
 * `trace` ingest counters, and runs retention. Stopping writes everything
 * already accepted before closing the store.
 */
export const startTraceService: ServiceStarter = async (runtime): Promise<Service | undefined> => {
  const config = runtime.config.trace;
  if (!config.enabled) return undefined;
  const store = await openTraceStore(config.store, { table: config.table, dataDir: runtime.dataDir });
  const ingest = new TraceIngest({
    store: timedWrites(store, runtime),
    maxBatchRows: config.max_batch_rows,
    flushIntervalMs: config.flush_interval_ms,
    maxQueueRows: config.max_queue_rows,
    logger: runtime.logger,
    onWriteError: (error, rows, retrying) => runtime.bus.raise(E_TRACE_STORE_ERROR, { store: store.location, rows, retrying, error: error.message }),
  });
  let tracer: Tracer;
  try {
    tracer = await openTracer(runtime, ingest);
  } catch (error) {
    await store.close();
    throw error;
  }
  runtime.shared.set(TRACER_KEY, tracer).set(TRACE_STORE_KEY, store).set(TRACE_INGEST_KEY, ingest);
  const registry = miCommandRegistry(runtime.shared);
  const unregister = traceCommands({ tracer, store }).map((command) => registry.register(command));
  const unregisterCounters = registerIngestCounters(runtime.shared, 'trace', () => ({ ...ingest.counters(), ...tracer.counters() }));
  const stopRetention = scheduleRetention(runtime, store);
  runtime.announce(`trace store ${store.kind} ${store.location} (table ${store.table}${config.keep_days > 0 ? `, keep ${config.keep_days} days` : ''})`);
  let stopping: Promise<void> | undefined;
  return {
    name: 'trace',
    stop: () => {
      stopping ??= (async () => {
        for (const dispose of [...unregister, unregisterCounters]) dispose();
        await stopRetention();
        await tracer.close();
        await ingest.stop();
        await store.close();
        for (const key of [TRACER_KEY, TRACE_STORE_KEY, TRACE_INGEST_KEY]) runtime.shared.delete(key);
      })();
      return stopping;
    },
  };
};
