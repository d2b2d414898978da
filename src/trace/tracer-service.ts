import { E_TRACE_STORE_ERROR } from '../events/packs/trace.js';
import { INGEST_COUNTERS_SLOT, registerIngestCounters } from '../runtime/ingest-counters.js';
import { MI_COMMANDS_SLOT, miCommandRegistry } from '../runtime/mi/registry.js';
import { sharedThresholds, THRESHOLDS_SLOT } from '../process/service.js';
import { defineService, type Runtime, type Service } from '../runtime/service.js';
import { storeKey } from './destinations/create.js';
import { StoreDestination } from './destinations/store.js';
import { createDestinationPolicy } from './destination-policy.js';
import { TraceIngest } from './ingest.js';
import { JetStreamTraceStore } from '../scale-out/jetstream-trace-store.js';
import { openTraceStore } from './store/open.js';
import type { TraceStore } from './store/types.js';
import { Tracer } from './tracer.js';
import { restoreTraceIds, saveTraceIds } from './persisted-trace-ids.js';
import { parseTraceId } from './tracer-ids.js';
import { traceCommands } from './tracer-mi.js';

/** The slots the trace service provides for the collectors and MI. */
export const TRACER_KEY = 'trace.tracer';
export const TRACE_STORE_KEY = 'trace.store';
export const TRACE_INGEST_KEY = 'trace.ingest';

/** The SQLite writer's nice value when trace.yield_to_receivers is on: bulk work, its backlog waits in the queue and the journal. */
const WRITER_NICE = 10;

declare module '../runtime/slots.js' {
  interface Slots {
    [TRACER_KEY]: Tracer;
    [TRACE_STORE_KEY]: TraceStore;
    [TRACE_INGEST_KEY]: TraceIngest;
  }
}
/** The store's trace id, as OpenSIPS names the id its old db_url parameters form. */
export const STORE_TRACE_ID = 'default';

const RETENTION_EVERY_MS = 3_600_000;

/** The daemon's tracer, for the collectors. */
export function sharedTracer(runtime: Pick<Runtime, 'slots'>): Tracer | undefined {
  return runtime.slots.get(TRACER_KEY);
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
    ingest: { maxBatchRows: config.max_batch_rows, flushIntervalMs: config.flush_interval_ms, maxQueueRows: config.max_queue_rows, maxQueueBytes: config.max_queue_bytes },
  });
  tracer.addDestination(STORE_TRACE_ID, new StoreDestination(ingest, { owned: false, uri: config.store }));
  return tracer;
}

async function startTrace(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.trace;
  if (!config.enabled) return undefined;
  // A collector's rows go to JetStream for the writers (docs/scale-out.md); everyone else's to trace.store.
  const store = runtime.config.role === 'collector'
    ? new JetStreamTraceStore(runtime.config.scale_out, config.table)
    : await openTraceStore(config.store, { table: config.table, dataDir: runtime.dataDir, writerThread: true, ...(config.yield_to_receivers ? { writerNice: WRITER_NICE } : {}) });
  const ingest = new TraceIngest({
    store: timedWrites(store, runtime),
    maxBatchRows: config.max_batch_rows,
    flushIntervalMs: config.flush_interval_ms,
    maxQueueRows: config.max_queue_rows,
    maxQueueBytes: config.max_queue_bytes,
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
  runtime.slots.set(TRACER_KEY, tracer).set(TRACE_STORE_KEY, store).set(TRACE_INGEST_KEY, ingest);
  const registry = miCommandRegistry(runtime.slots);
  await restoreTraceIds(tracer, runtime.dataDir, runtime.logger);
  const onDynamicIdsChanged = () => saveTraceIds(tracer, runtime.dataDir)
    .catch((error: unknown) => runtime.logger.warn({ err: error }, 'Could not save the trace ids.'));
  const unregister = traceCommands({ tracer, store, onDynamicIdsChanged }).map((command) => registry.register(command));
  const unregisterCounters = registerIngestCounters(runtime.slots, 'trace', () => ({ ...ingest.counters(), ...tracer.counters() }));
  const stopRetention = scheduleRetention(runtime, store);
  runtime.announce(`trace store ${store.kind} ${store.location} (table ${store.table}${config.keep_days > 0 ? `, keep ${config.keep_days} days` : ''})`);
  let closing: Promise<void> | undefined;
  const close = (deadlineMs: number) => {
    closing ??= (async () => {
      const started = Date.now();
      for (const dispose of [...unregister, unregisterCounters]) dispose();
      await stopRetention();
      await tracer.close();
      await ingest.stop(Math.max(0, deadlineMs - (Date.now() - started)));
      await store.close();
      for (const key of [TRACER_KEY, TRACE_STORE_KEY, TRACE_INGEST_KEY] as const) runtime.slots.delete(key);
    })();
    return closing;
  };
  return {
    name: 'trace',
    close,
    destroy: async () => {
      // Rows still queued are dropped and counted at once (a deadline of 0), then closing finishes as usual.
      await ingest.stop(0);
      await close(0);
    },
  };
}

/**
 * The trace store and the daemon's tracer: opens (creates or migrates) the
 * store, starts the batching ingest, builds the tracer from `trace.ids` plus
 * the store as id `default`, registers the tracing MI commands and the
 * `trace` ingest counters, and runs retention. Closing writes everything
 * already accepted before closing the store.
 */
export const startTraceService = defineService({
  name: 'trace',
  provides: [TRACER_KEY, TRACE_STORE_KEY, TRACE_INGEST_KEY],
  uses: [THRESHOLDS_SLOT, MI_COMMANDS_SLOT, INGEST_COUNTERS_SLOT],
  start: startTrace,
});
