import { INGEST_COUNTERS_SLOT } from '../../runtime/ingest-counters.js';
import { listenError, parseListen, type ListenAddress } from '../../runtime/listen.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { STATUS_SLOT } from '../../runtime/status.js';
import { watchUdpCollector, type UdpCollectorWatch } from '../../runtime/udp-collector-watch.js';
import { ingestContext, publishedIntake } from '../ingest/service-kit.js';
import { listenOpensips } from './listener.js';
import { formatHostPort } from '../../runtime/destination-patterns.js';

/** The slot holding the bound address (port 0 resolved), for tests and benchmarks. */
export const INGEST_OPENSIPS_ADDRESS_SLOT = 'ingest.opensips.address';

declare module '../../runtime/slots.js' {
  interface Slots {
    [INGEST_OPENSIPS_ADDRESS_SLOT]: ListenAddress;
  }
}

async function startIngestOpensips(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.ingest.opensips;
  if (!config.enabled) return undefined;
  const { host, port } = parseListen(config.listen, 'ingest.opensips.listen');
  let watch: UdpCollectorWatch | undefined;
  const published = publishedIntake(runtime, 'opensips', `udp+tcp ${config.listen}`, () => watch?.counters() ?? {});
  let pair;
  try {
    pair = await listenOpensips({
      host, port, intake: published.intake, ctx: ingestContext(runtime, 'opensips', config.unknown, undefined),
      maxObjectBytes: config.max_object_bytes, maxConnections: config.max_connections, recvBufferBytes: config.recv_buffer_bytes,
    });
  } catch (error) {
    published.unpublish();
    throw listenError('ingest.opensips.listen', config.listen, error);
  }
  const bound = pair;
  watch = watchUdpCollector(runtime, {
    listener: 'opensips', configKey: 'ingest.opensips', socket: pair.udp, askedBytes: config.recv_buffer_bytes, intervalMs: config.kernel_drops_interval_ms,
  });
  runtime.slots.set(INGEST_OPENSIPS_ADDRESS_SLOT, { host, port: bound.port });
  runtime.announce(`ingest opensips udp+tcp ${formatHostPort(host, bound.port)}`);
  const finish = () => {
    watch?.close();
    published.unpublish();
    runtime.slots.delete(INGEST_OPENSIPS_ADDRESS_SLOT);
  };
  let closing: Promise<void> | undefined;
  return {
    name: 'ingest-opensips',
    // Streams are ended and read for up to a second: what OpenSIPS already sent is taken.
    close: () => (closing ??= bound.close(1000).finally(finish)),
    destroy: () => (closing ??= bound.close(0).finally(finish)),
  };
}

/** OpenSIPS event_datagram (UDP) and event_stream (TCP) on `ingest.opensips.listen` (default 127.0.0.1:8089). */
export const startIngestOpensipsService = defineService({
  name: 'ingest-opensips',
  provides: [INGEST_OPENSIPS_ADDRESS_SLOT],
  uses: [INGEST_COUNTERS_SLOT, STATUS_SLOT],
  start: startIngestOpensips,
});
