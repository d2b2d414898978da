import { mkdir, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BackendRegistry } from '../bus/backend-registry.js';
import { Bus } from '../bus/bus.js';
import { registerShippedBackends } from '../backends/index.js';
import { DEFAULT_EVENT_STORE_FILE } from '../backends/event-store/open.js';
import { HeraldError } from '../errors/herald-error.js';
import { loadConfig } from '../config/load.js';
import { checkServeConfig } from './check-config.js';
import { persistRuntimeSubscriptions } from './persisted-subscriptions.js';
import { subscriptionKey } from '../bus/subscription.js';
import type { HeraldConfig } from '../config/schema.js';
import { parseLoggerLevel } from '../events/level.js';
import { createDefaultCatalogue } from '../events/packs/index.js';
import { createLogger, type Logger } from '../log/logger.js';
import { ingestCounters, INGEST_COUNTERS_SLOT } from '../runtime/ingest-counters.js';
import { miCommandRegistry, MI_COMMANDS_SLOT } from '../runtime/mi/registry.js';
import { serviceOrder } from '../runtime/order.js';
import { yieldToReceiveThreads } from '../runtime/udp-receiver/receiver-priority.js';
import type { Runtime, Service, ServiceStarter } from '../runtime/service.js';
import { SlotTable, type SlotKey } from '../runtime/slots.js';
import { STATUS_SLOT } from '../runtime/status.js';
import { SR_STATUS, StatusRegistry } from '../runtime/status/registry.js';
import { subscriberDestinationCheck } from '../runtime/subscriber-destinations.js';
import { stopServices } from './stop.js';
import { servicesFor } from './services.js';
import { collectorEventSocket } from '../scale-out/subjects.js';

/*
 *  herald serve: the composition root.
 *
 *   config ─▶ data dir ─▶ bus (catalogue + backends) ─▶ services (MI, collectors, core events)
 *                                   │
 *                                   └─▶ subscribers from config (default: jsonl events.log, sqlite events.db)
 *
 *  Shutdown runs the other way: stop services, drain the bus, flush and close backends.
 */

export interface ServeOptions {
  readonly configPath?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly announce?: (line: string) => void;
  readonly logger?: Logger;
  /** Replaces the shipped service list (tests); they start in the order their declarations derive. */
  readonly services?: readonly ServiceStarter[];
}

export interface Daemon {
  readonly runtime: Runtime;
  /**
   * Graceful stop within the deadline; idempotent. Each service in reverse start
   * order is closed with what is left of the deadline and destroyed if it has not
   * finished by then; the bus drains in what remains.
   */
  stop(deadlineMs?: number): Promise<void>;
}

/** Slots the runtime sets before any service starts. */
const RUNTIME_SLOTS: readonly SlotKey[] = [STATUS_SLOT, INGEST_COUNTERS_SLOT, MI_COMMANDS_SLOT];

export async function startDaemon(options: ServeOptions = {}): Promise<Daemon> {
  const loaded = await loadConfig(options.configPath, options.env ?? process.env);
  const { config } = loaded;
  // Before the data dir is created or anything binds: what herald config reports, serve refuses first.
  checkServeConfig(config, loaded.path ?? 'the embedded defaults');
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`));
  const logger = options.logger ?? createLogger({ level: parseLoggerLevel(config.log.level) });
  const dataDir = resolve(config.data_dir);
  await mkdir(dataDir, { recursive: true });
  announce(`data dir ${dataDir}`);
  const fileRoots = await resolveRoots(config, dataDir);
  const bus = new Bus({
    catalogue: createDefaultCatalogue(),
    backends: registerShippedBackends(new BackendRegistry(), { memory: config.delivery.memory_transport }),
    maxSubscriptions: config.delivery.max_subscriptions,
    logger,
    fileRoots,
    dataDir,
    defaultSourceId: 'herald',
    delivery: {
      maxQueueEvents: config.delivery.max_queue_events,
      maxBatchEvents: config.delivery.max_batch_events,
      writeTimeoutMs: config.delivery.write_timeout_ms,
      retryBaseMs: config.delivery.retry_base_ms,
      retryMaxMs: config.delivery.retry_max_ms,
      lingerMs: config.delivery.linger_ms,
    },
    spool: { maxBytes: config.delivery.spool_max_bytes, whenFull: config.delivery.spool_full, fsync: config.delivery.spool_fsync },
    // MI, CLI and restored subscriptions; the config's own are trusted (subscribeFromConfig).
    checkDestinations: subscriberDestinationCheck(config.delivery.allowed_destinations),
  });
  const status = new StatusRegistry({ bus });
  status.register('core', 'main', SR_STATUS.CORE_INITIALIZING, 'starting');
  const slots = new SlotTable().set(STATUS_SLOT, status);
  const runtime: Runtime = { config, configPath: loaded.path, bus, logger, dataDir, fileRoots, announce, slots };
  ingestCounters(slots);
  miCommandRegistry(slots);
  const services: Service[] = [];
  let stopPersisting = async () => {};
  try {
    for (const start of serviceOrder(options.services ?? servicesFor(config.role), RUNTIME_SLOTS)) {
      const service = await start(runtime);
      if (service !== undefined) services.push(service);
    }
    const configKeys = await subscribeFromConfig(runtime);
    stopPersisting = await persistRuntimeSubscriptions({ bus, dataDir, logger, configKeys });
    status.setStatus('core', 'main', SR_STATUS.CORE_RUNNING, 'running');
    // After every service started: the collectors' receive threads already run, and keep the priority the main thread gives up.
    if (config.trace.yield_to_receivers && (config.hep.enabled || config.sip.enabled)) yieldMainThread(logger);
  } catch (error) {
    await stopPersisting();
    await stopServices(services, bus, 2000, logger);
    throw error;
  }
  let stopping: Promise<void> | undefined;
  return {
    runtime,
    stop: (deadlineMs = 5000) => {
      if (stopping === undefined) {
        status.setStatus('core', 'main', SR_STATUS.CORE_TERMINATING, 'shutting down');
        // Saved before the bus closes: closing removes every subscription, and that must not be saved.
        stopping = stopPersisting().then(() => stopServices(services, bus, deadlineMs, logger));
      }
      return stopping;
    },
  };
}

async function resolveRoots(config: HeraldConfig, dataDir: string): Promise<string[]> {
  const roots = config.files.roots ?? [dataDir];
  const out: string[] = [];
  for (const root of roots) {
    try {
      out.push(await realpath(resolve(root)));
    } catch {
      // A root that does not exist yet cannot hold files; keep its resolved path so errors name it.
      out.push(resolve(root));
    }
  }
  return out;
}

type SubscriberEntry = NonNullable<HeraldConfig['subscribers']>[number];

/** Without `subscribers` in the config: events.log, plus the event store, which for a collector is the JetStream stream. */
function defaultSubscribers(runtime: Runtime): SubscriberEntry[] {
  const log = { socket: `jsonl:${runtime.dataDir}/events.log`, filter: 'level>=info' };
  if (runtime.config.role === 'collector') {
    // At least once: while the cluster is unreachable, events wait in the spool (docs/scale-out.md).
    return [log, { socket: collectorEventSocket(runtime.config.scale_out), filter: 'level>=info', delivery: 'at-least-once' }];
  }
  // The event store `herald search` reads by default (design.md: fixed name and level).
  return [log, { socket: `sqlite:${runtime.dataDir}/${DEFAULT_EVENT_STORE_FILE}`, filter: 'level>=info' }];
}

/** Subscribes the config's subscribers; returns their subscriptionKey()s. */
async function subscribeFromConfig(runtime: Runtime): Promise<Set<string>> {
  const keys = new Set<string>();
  const entries = runtime.config.subscribers ?? defaultSubscribers(runtime);
  for (const [index, entry] of entries.entries()) {
    const result = await runtime.bus.subscribe(entry.socket, { ...entry, trusted: true }).catch((error: Error) => {
      throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: subscribers[${index}] (${entry.socket}): ${error.message}`, { cause: error });
    });
    if (result.action !== 'unsubscribed') runtime.announce(`subscriber ${entry.socket} (${entry.event ?? entry.filter})`);
    keys.add(subscriptionKey(entry.socket.trim(), entry.event !== undefined ? { event: entry.event } : { filter: entry.filter as string }));
  }
  return keys;
}

/** The nice value of every thread but the collectors' receive threads when trace.yield_to_receivers is on. */
const BULK_THREAD_NICE = 5;

/** Threads started later inherit the main thread's priority, so they yield too. */
function yieldMainThread(logger: Logger): void {
  try {
    const lowered = yieldToReceiveThreads(BULK_THREAD_NICE);
    logger.debug({ lowered, nice: BULK_THREAD_NICE }, 'Threads other than the collectors\' receive threads yield the CPU to them.');
  } catch (error) {
    logger.debug({ err: error }, 'Could not lower the other threads\' priority; the collectors\' receive threads share the CPU equally.');
  }
}
