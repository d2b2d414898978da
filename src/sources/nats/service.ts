import { connect } from '@nats-io/transport-node';
import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { publishedBrokerIntake } from '../broker/published-kit.js';
import { pullLoop } from './pull-loop.js';

async function startIngestNats(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest.nats;
  if (!config.enabled) return undefined;
  // Connected in the background and for good (reconnects forever): a NATS that is down at start only delays consumption.
  const connecting = connect({ servers: config.server, reconnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 250, waitOnFirstConnect: true, name: 'herald-ingest' });
  const { kit: intake, unpublish } = publishedBrokerIntake(runtime, 'nats', `jetstream ${config.server} ${config.stream}/${config.consumer}`, config);
  const stop = new AbortController();
  const running = connecting.then((connection) => pullLoop(connection, {
    stream: config.stream, consumer: config.consumer, filterSubject: config.filter_subject, batch: config.batch,
    ackWaitMs: config.ack_wait_ms, intake, logger: runtime.logger,
  }, stop.signal), (error: unknown) => runtime.logger.error({ err: error, server: config.server }, 'NATS ingest could not connect.'));
  runtime.announce(`ingest nats ${config.server} ${config.stream}/${config.consumer}`);
  let closing: Promise<void> | undefined;
  const close = (wait: boolean) => (closing ??= (async () => {
    stop.abort();
    // The batch in hand is finished and acked first; a destroy leaves it to redelivery.
    if (wait) await running;
    const connection = await connecting.catch(() => undefined);
    await connection?.close();
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
