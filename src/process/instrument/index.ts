import type { InstrumentBus } from './attach-while-listened.js';
import { instrumentConnections } from './connections.js';
import { instrumentDns } from './dns.js';
import { instrumentFetch } from './fetch.js';
import { instrumentHttpClient } from './http-client.js';

export type { InstrumentBus } from './attach-while-listened.js';
export { HTTP_CLIENT_ERROR, dnsErrorCode, httpErrorStatus } from './error-codes.js';
export { instrumentConnections, instrumentDns, instrumentFetch, instrumentHttpClient };

export interface InstrumentOptions {
  /** http_request_finished/_redirected for http.request, https.request and fetch. */
  readonly http?: boolean;
  /** client_/server_connection_connected/_disconnected for TCP and TLS. */
  readonly net?: boolean;
  /** dns_request_started/_finished for dns.lookup. */
  readonly dns?: boolean;
}

/**
 * Raises the `dovecot` pack's HTTP client, connection and DNS events for what
 * this Node process does, without application code: diagnostics_channel where
 * Node has one (http client, net sockets, undici), wrappers where it does not
 * (fetch's redirect chain, tls.connect, dns.lookup). docs/core-events.md
 * lists what is and is not covered. Each group of hooks is attached only while
 * someone listens to its events (bus.onListenersChanged), and work is skipped
 * for events nobody listens to when an operation starts. Returns a disposer
 * that undoes it all.
 */
export function instrument(bus: InstrumentBus, options: InstrumentOptions): () => void {
  const disposers: Array<() => void> = [];
  if (options.http === true) disposers.push(instrumentHttpClient(bus), instrumentFetch(bus));
  if (options.net === true) disposers.push(instrumentConnections(bus));
  if (options.dns === true) disposers.push(instrumentDns(bus));
  return () => {
    for (const dispose of disposers.splice(0).reverse()) dispose();
  };
}
