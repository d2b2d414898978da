import { INGEST_COUNTERS_SLOT, registerIngestCounters } from '../../runtime/ingest-counters.js';
import { listenError, parseListen } from '../../runtime/listen.js';
import { watchUdpCollector } from '../../runtime/udp-collector-watch.js';
import { SIP_PARSE_POOL_SLOT } from '../../trace/sip-pool/service.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { TRACE_INGEST_KEY, TRACER_KEY } from '../../trace/tracer-service.js';
import { RateLimitedWarnings } from '../../trace/tracer-warnings.js';
import { Counters } from '../counters.js';
import { requireTracer, type ListenerAddress } from '../hep/service.js';
import { sharedSipParsePool } from '../../trace/sip-pool/pooled-parse.js';
import { SipReceiver } from './receiver.js';
import { receiverCounters, startCollectorSocket } from '../udp-receiver.js';
import { formatHostPort } from '../../runtime/destination-patterns.js';

/** The slot holding the bound address (port 0 resolved). */
export const SIP_ADDRESS_KEY = 'sip.address';

declare module '../../runtime/slots.js' {
  interface Slots {
    [SIP_ADDRESS_KEY]: ListenerAddress;
  }
}

async function startSip(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.sip;
  if (!config.enabled) return undefined;
  const tracer = requireTracer(runtime, 'sip');
  const { host, port } = parseListen(config.listen, 'sip.listen');
  const counters = new Counters();
  const warnings = new RateLimitedWarnings(runtime.logger);
  // The port is known once bound (port 0); the receiver reads it per datagram.
  const bound = { host, port };
  const receiver = new SipReceiver({ tracer, counters, warnings, bound, pool: sharedSipParsePool(runtime) });
  // Read on its own thread; datagrams that arrive while the store's queue is congested wait on disk.
  const thread = await startCollectorSocket(runtime, {
    name: 'sip', host, port, recvBufferBytes: config.recv_buffer_bytes,
    deliver: (data, peer, receivedUs) => receiver.datagram(data, peer, receivedUs),
  }).catch((error: unknown) => {
    throw listenError('sip.listen', config.listen, error);
  });
  const socket = thread.socket;
  bound.port = socket.address().port;
  runtime.slots.set(SIP_ADDRESS_KEY, bound);
  const watch = watchUdpCollector(runtime, {
    listener: 'sip', configKey: 'sip', socket, askedBytes: config.recv_buffer_bytes, intervalMs: config.kernel_drops_interval_ms,
  });
  const unregister = registerIngestCounters(runtime.slots, 'sip', () => ({ ...counters.snapshot(), ...receiverCounters(thread), ...watch.counters() }));
  runtime.announce(`sip udp ${formatHostPort(host, bound.port)}`);
  let closing: Promise<void> | undefined;
  const close = () => {
    // Datagrams already received may still be in the parse pool: the tracer (closed after this service) gets them first.
    watch.close();
    closing ??= thread.close().then(() => receiver.drain()).finally(() => {
      unregister();
      runtime.slots.delete(SIP_ADDRESS_KEY);
    });
    return closing;
  };
  // Nothing to cut short beyond closing: the socket closes at once and the pool hands back what it holds.
  return { name: 'sip', close, destroy: close };
}

/**
 * The raw SIP collector: UDP on `sip.listen` (default 127.0.0.1:9061), for
 * Kamailio's `duplicate_uri` and OpenSIPS's `sip:` trace ids. A raw copy has
 * no metadata: the stored source is the sender of the copy (the proxy) and the
 * destination is this listener. Counters go to get_statistics as `sip`.
 */
export const startSipService = defineService({
  name: 'sip',
  provides: [SIP_ADDRESS_KEY],
  needs: [TRACER_KEY],
  uses: [SIP_PARSE_POOL_SLOT, INGEST_COUNTERS_SLOT, TRACE_INGEST_KEY],
  start: startSip,
});
