import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import { HeraldError } from '../../errors/herald-error.js';
import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { publishedBrokerIntake } from '../broker/published-kit.js';
import { shownUrl } from '../broker/shown-url.js';
import { GroupReader } from './group-reader.js';

/** Reconnect backoff of the client: 100 ms more per attempt, at most 2 s. */
/** How long a close waits for the read in hand (which blocks at most 1 s) before it drops the connection. */
const CLOSE_GRACE_MS = 3000;

const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2000);

async function startIngestRedis(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest.redis;
  if (!config.enabled) return undefined;
  if (config.stream === '') throw new HeraldError('HERALD_ERR_CONFIG', 'ingest.redis.stream: the stream to read must be named when ingest.redis.enabled is true');
  const shown = shownUrl(config.url, 'ingest.redis.url', 'redis://127.0.0.1:6379/0');
  const consumer = config.consumer === '' ? `herald-${hostname()}` : config.consumer;
  const { kit, unpublish } = publishedBrokerIntake(runtime, 'redis', `${shown} stream ${config.stream} group ${config.group} consumer ${consumer}`, config);
  // Connects in the background and for good: a Redis that is down at start only delays consumption.
  const redis = new Redis(config.url, { connectTimeout: config.connect_timeout_ms, retryStrategy: reconnectDelay, maxRetriesPerRequest: null });
  redis.on('error', () => undefined); // the read loop logs what fails; unheard, ioredis prints every reconnect error
  const reader = new GroupReader(redis, {
    stream: config.stream, group: config.group, consumer, field: config.field, startId: config.start_id, batch: config.batch,
    claimIdleMs: config.claim_idle_ms, retryMs: config.retry_ms, intake: kit, logger: runtime.logger,
  });
  const stop = new AbortController();
  const running = reader.run(stop.signal);
  runtime.announce(`ingest redis ${shown} stream ${config.stream} group ${config.group}`);
  let closing: Promise<void> | undefined;
  const close = (wait: boolean) => (closing ??= (async () => {
    stop.abort();
    // The batch in hand is finished and acknowledged first (a read blocks at most 1 s; a Redis that is away
    // does not hold the close longer than CLOSE_GRACE_MS); a destroy leaves it pending, to be read again.
    if (wait) await Promise.race([running, new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref())]);
    redis.disconnect();
    await running;
    unpublish();
  })());
  return { name: 'ingest-redis', close: () => close(true), destroy: () => close(false) };
}

/** Reads `ingest.redis.stream` as a consumer group member, acknowledging each entry once the bus has it (docs/ingest.md). */
export const startIngestRedisService = defineService({
  name: 'ingest-redis',
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startIngestRedis,
});
