import { HeraldError } from '../../errors/herald-error.js';
import { parseLevel } from '../../events/level.js';
import { INGEST_COUNTERS_SLOT, registerIngestCounters } from '../../runtime/ingest-counters.js';
import { listenError, parseListen } from '../../runtime/listen.js';
import { watchUdpCollector } from '../../runtime/udp-collector-watch.js';
import { SIP_PARSE_POOL_SLOT } from '../../trace/sip-pool/service.js';
import { defineService, type Runtime, type Service } from '../../runtime/service.js';
import { sharedTracer, TRACE_INGEST_KEY, TRACER_KEY } from '../../trace/tracer-service.js';
import type { Tracer } from '../../trace/tracer.js';
import { sharedSipParsePool } from '../../trace/sip-pool/pooled-parse.js';
import { HepCollector } from './collector.js';
import { listenHep, peerName } from './listeners.js';
import { receiverCounters, startCollectorSocket } from '../udp-receiver.js';
import type { UdpReceiverThread } from '../../runtime/udp-receiver/receiver-thread.js';
import { formatHostPort } from '../../runtime/destination-patterns.js';

/** The slot holding the bound address (port 0 resolved), for tests and status. */
export const HEP_ADDRESS_KEY = 'hep.address';

declare module '../../runtime/slots.js' {
  interface Slots {
    [HEP_ADDRESS_KEY]: ListenerAddress;
  }
}

export interface ListenerAddress {
  readonly host: string;
  readonly port: number;
}

/** The tracer a collector feeds. @throws HeraldError HERALD_ERR_CONFIG when tracing is switched off. */
export function requireTracer(runtime: Pick<Runtime, 'slots'>, what: string): Tracer {
  const tracer = sharedTracer(runtime);
  if (tracer === undefined) {
    throw new HeraldError('HERALD_ERR_CONFIG', `Invalid config: ${what} needs the trace store (trace.enabled: true), or set ${what}.enabled: false`);
  }
  return tracer;
}

async function startHep(runtime: Runtime): Promise<Service | undefined> {
  const config = runtime.config.hep;
  if (!config.enabled) return undefined;
  const tracer = requireTracer(runtime, 'hep');
  const { host, port } = parseListen(config.listen, 'hep.listen');
  const pool = sharedSipParsePool(runtime);
  const collector = new HepCollector({ tracer, bus: runtime.bus, logger: runtime.logger, authKey: config.auth_key, pool, logLevel: parseLevel(config.log_level) });
  const timeouts = { idleMs: config.tcp_idle_timeout_ms, partialFrameMs: config.tcp_frame_timeout_ms };
  // TCP senders are held back by the daemon's trace store queue (the one every collected packet goes to).
  const backpressure = runtime.slots.get(TRACE_INGEST_KEY);
  // UDP is read on its own thread; datagrams that arrive while the store's queue is congested wait on disk.
  let receiver: UdpReceiverThread | undefined;
  const bindUdp = async (udpHost: string, udpPort: number) => {
    receiver = await startCollectorSocket(runtime, {
      name: 'hep', host: udpHost, port: udpPort, recvBufferBytes: config.recv_buffer_bytes,
      deliver: (data, peer, receivedUs) => collector.datagram(data, peerName(peer), receivedUs),
    });
    const thread = receiver;
    return { socket: thread.socket, close: () => thread.close() };
  };
  const listeners = await listenHep({
    host, port, collector, bindUdp, maxConnections: config.max_connections, timeouts, recvBufferBytes: config.recv_buffer_bytes, backpressure,
  }).catch((error: unknown) => {
    throw listenError('hep.listen', config.listen, error);
  });
  const address: ListenerAddress = { host: listeners.host, port: listeners.port };
  runtime.slots.set(HEP_ADDRESS_KEY, address);
  const watch = watchUdpCollector(runtime, {
    listener: 'hep', configKey: 'hep', socket: listeners.udp, askedBytes: config.recv_buffer_bytes, intervalMs: config.kernel_drops_interval_ms,
  });
  const unregister = registerIngestCounters(runtime.slots, 'hep', () => ({ ...collector.counters.snapshot(), ...receiverCounters(receiver), ...watch.counters() }));
  runtime.announce(`hep udp+tcp ${formatHostPort(host, listeners.port)}${config.auth_key !== undefined ? ' (auth key required)' : ''}`);
  let closing: Promise<void> | undefined;
  const close = () => {
    // Packets already received are still in the parse pool: the tracer (closed after this service) gets them first.
    watch.close();
    closing ??= listeners.close().then(() => collector.drain()).finally(() => {
      unregister();
      runtime.slots.delete(HEP_ADDRESS_KEY);
    });
    return closing;
  };
  // Nothing to cut short beyond closing: the listeners close at once and the pool hands back what it holds.
  return { name: 'hep', close, destroy: close };
}

/**
 * The HEP collector: UDP and TCP on `hep.listen` (default 127.0.0.1:9060), HEP
 * v1/v2/v3, packets to the daemon's tracer. Counters go to get_statistics as `hep`.
 */
export const startHepService = defineService({
  name: 'hep',
  provides: [HEP_ADDRESS_KEY],
  needs: [TRACER_KEY],
  uses: [SIP_PARSE_POOL_SLOT, INGEST_COUNTERS_SLOT, TRACE_INGEST_KEY],
  start: startHep,
});
