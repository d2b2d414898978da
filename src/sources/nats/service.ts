import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { publishedBrokerIntake } from '../broker/published-kit.js';
import { connectForGood } from './connect-for-good.js';
import { pullLoop } from './pull-loop.js';

async function startIngestNats(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest.nats;
  if (!config.enabled) return undefined;
  const { kit: intake, unpublish } = publishedBrokerIntake(runtime, 'nats', `jetstream ${config.server} ${config.stream}/${config.consumer}`, config);
  const link = connectForGood({
    servers: config.server, name: 'herald-ingest', logger: runtime.logger, what: 'NATS ingest', logFields: { server: config.server },
    run: (connection, signal) => pullLoop(connection, {
      stream: config.stream, consumer: config.consumer, filterSubject: config.filter_subject, batch: config.batch,
      ackWaitMs: config.ack_wait_ms, intake, logger: runtime.logger,
    }, signal),
  });
  runtime.announce(`ingest nats ${config.server} ${config.stream}/${config.consumer}`);
  let closing: Promise<void> | undefined;
  const close = (wait: boolean) => (closing ??= (async () => {
    // The batch in hand is finished and acked first; a destroy leaves it to redelivery.
    await link.close(wait);
    unpublish();
  })());
  return { name: 'ingest-nats', close: () => close(true), destroy: () => close(false) };
}

/** NATS JetStream durable pull consumer into the bus (`ingest.nats`, off by default). */
export const startIngestNatsService = defineService({
  name: 'ingest-nats',
  provides: [],
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startIngestNats,
});
