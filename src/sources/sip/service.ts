import { createSocket } from 'node:dgram';
import { isIP } from 'node:net';
import { HeraldError } from '../../errors/herald-error.js';
import { registerIngestCounters } from '../../runtime/ingest-counters.js';
import { parseListen } from '../../runtime/listen.js';
import type { Service, ServiceStarter } from '../../runtime/service.js';
import { RateLimitedWarnings } from '../../trace/tracer-warnings.js';
import { Counters } from '../counters.js';
import { requireTracer, type ListenerAddress } from '../hep/service.js';
import { sharedSipParsePool } from '../pooled-parse.js';
import { SipReceiver } from './receiver.js';

/** `runtime.shared` key of the bound address (port 0 resolved). */
export const SIP_ADDRESS_KEY = 'sip.address';

/**
 * The raw SIP collector: UDP on `sip.listen` (default 127.0.0.1:9061), for
 * Kamailio's `duplicate_uri` and OpenSIPS's `sip:` trace ids. A raw copy has
 * no metadata: the stored source is the sender of the copy (the proxy) and the
 * destination is this listener. Counters go to get_statistics as `sip`.
 */
export const startSipService: ServiceStarter = async (runtime): Promise<Service | undefined> => {
  const config = runtime.config.sip;
  if (!config.enabled) return undefined;
  const tracer = requireTracer(runtime, 'sip');
  const { host, port } = parseListen(config.listen, 'sip.listen');
  const counters = new Counters();
  const warnings = new RateLimitedWarnings(runtime.logger);
  const socket = createSocket({ type: isIP(host) === 6 ? 'udp6' : 'udp4', recvBufferSize: 4 * 1024 * 1024 });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', (error) => reject(new HeraldError('HERALD_ERR_CONFIG', `Cannot listen for SIP on ${config.listen} (sip.listen): ${error.message}`, { cause: error })));
    socket.bind(port, host, () => resolve());
  });
  socket.on('error', () => counters.add('socket_errors'));
  const bound: ListenerAddress = { host, port: socket.address().port };
  const receiver = new SipReceiver({ tracer, counters, warnings, bound, pool: sharedSipParsePool(runtime) });
  socket.on('message', (data, peer) => receiver.datagram(data, peer));
  runtime.shared.set(SIP_ADDRESS_KEY, bound);
  const unregister = registerIngestCounters(runtime.shared, 'sip', () => counters.snapshot());
  runtime.announce(`sip udp ${host.includes(':') ? `[${host}]` : host}:${bound.port}`);
  let stopping: Promise<void> | undefined;
  return {
    name: 'sip',
    stop: () => {
      // Datagrams already received may still be in the parse pool: the tracer (stopped after this service) gets them first.
      stopping ??= new Promise<void>((resolve) => socket.close(() => resolve())).then(() => receiver.drain()).finally(() => {
        unregister();
        runtime.shared.delete(SIP_ADDRESS_KEY);
      });
      return stopping;
    },
  };
};
