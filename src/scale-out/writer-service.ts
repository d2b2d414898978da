import { openEventStore } from '../backends/event-store/open.js';
import { HeraldError } from '../errors/herald-error.js';
import { INGEST_COUNTERS_SLOT, registerIngestCounters } from '../runtime/ingest-counters.js';
import { defineService, type Runtime, type Service } from '../runtime/service.js';
import { SR_STATUS, STATUS_SLOT, statusRegistryOf } from '../runtime/status.js';
import { ingestContext } from '../sources/ingest/service-kit.js';
import { connectForGood } from '../sources/nats/connect-for-good.js';
import { TRACE_STORE_KEY } from '../trace/tracer-service.js';
import { natsServers } from './subjects.js';
import { ScaleOutWriter } from './writer.js';

/** The event table of the writers' database (the fixed name of the event store). */
const EVENT_TABLE = 'herald_events';

async function startScaleOutWriter(runtime: Runtime): Promise<Service | undefined> {
  const { config } = runtime;
  if (config.role !== 'writer') return undefined;
  const rows = runtime.slots.get(TRACE_STORE_KEY);
  if (rows === undefined || rows.kind !== 'postgres') {
    throw new HeraldError('HERALD_ERR_CONFIG', 'Invalid config: role writer needs trace.enabled: true and a postgres://… trace.store');
  }
  const scaleOut = config.scale_out;
  const events = await openEventStore(scaleOut.event_store === '' ? config.trace.store : scaleOut.event_store, EVENT_TABLE, 'write');
  const writer = new ScaleOutWriter({ config: scaleOut, rows, events, ctx: ingestContext(runtime, 'scale-out', 'accept', undefined), logger: runtime.logger });
  // A cluster that is down at start only delays the writes.
  const link = connectForGood({
    servers: natsServers(scaleOut), name: 'herald-writer', logger: runtime.logger, what: 'Scale-out writer', logFields: { servers: scaleOut.servers },
    run: (connection, signal) => writer.run(connection, signal),
  });
  const status = statusRegistryOf(runtime);
  const details = `jetstream ${scaleOut.servers.join(',')} ${scaleOut.stream}/${scaleOut.consumer} -> ${rows.location}`;
  status.register('ingest', 'scale-out', SR_STATUS.READY, details);
  const unregister = registerIngestCounters(runtime.slots, 'scale_out', () => writer.counters());
  runtime.announce(`scale-out writer ${details}`);
  let closing: Promise<void> | undefined;
  const close = (wait: boolean) => (closing ??= (async () => {
    // The batch in hand is written and acked first; a destroy leaves it to redelivery (the inserts are idempotent).
    await link.close(wait);
    await events.close();
    unregister();
    status.unregister('ingest', 'scale-out');
  })());
  return { name: 'scale-out-writer', close: () => close(true), destroy: () => close(false) };
}

/**
 * Role `writer` (docs/scale-out.md): pulls the stream through the durable consumer every
 * writer shares and writes trace rows to the trace store and events to the event table,
 * both in PostgreSQL and idempotent, acknowledging after the commit.
 */
export const startScaleOutWriterService = defineService({
  name: 'scale-out-writer',
  needs: [TRACE_STORE_KEY],
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startScaleOutWriter,
});
