import { HeraldError } from '../../errors/herald-error.js';
import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { publishedBrokerIntake } from '../broker/published-kit.js';
import { shownUrl } from '../broker/shown-url.js';
import { QueueConsumer } from './queue-consumer.js';

async function startIngestRabbitmq(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest.rabbitmq;
  if (!config.enabled) return undefined;
  if (config.queue === '') throw new HeraldError('HERALD_ERR_CONFIG', 'ingest.rabbitmq.queue: the queue to consume must be named when ingest.rabbitmq.enabled is true');
  const shown = shownUrl(config.url, 'ingest.rabbitmq.url', 'amqp://guest:guest@127.0.0.1:5672/');
  const { kit, unpublish } = publishedBrokerIntake(runtime, 'rabbitmq', `${shown} queue ${config.queue}`, config);
  const consumer = new QueueConsumer({
    url: config.url, queue: config.queue, prefetch: config.prefetch, heartbeat: config.heartbeat,
    connectTimeoutMs: config.connect_timeout_ms, retryMs: config.retry_ms, intake: kit, logger: runtime.logger,
  });
  consumer.start();
  runtime.announce(`ingest rabbitmq ${shown} queue ${config.queue}`);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= consumer.close().finally(() => unpublish()));
  return { name: 'ingest-rabbitmq', close, destroy: close };
}

/** Consumes `ingest.rabbitmq.queue`, acknowledging each message once the bus has it (docs/ingest.md). */
export const startIngestRabbitmqService = defineService({
  name: 'ingest-rabbitmq',
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startIngestRabbitmq,
});
