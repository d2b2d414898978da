import type { Thresholds } from '../thresholds.js';
import { watchDns } from './dns.js';
import { watchEventLoop, type EventLoopWatchOptions } from './event-loop.js';
import { watchHttpClient, watchHttpServer } from './http.js';
import { watchTcpWrites } from './tcp-write.js';

export { watchDns, watchEventLoop, watchHttpClient, watchHttpServer, watchTcpWrites };
export type { EventLoopWatchOptions };

/**
 * Starts the built-in sources whose threshold is set (> 0). `store` has no
 * watcher: the trace store times its own queries with `thresholds.time('store', …)`.
 * Returns one disposer for all of them.
 */
export function watchBuiltinSources(thresholds: Thresholds, options: EventLoopWatchOptions = {}): () => void {
  const disposers: Array<() => void> = [];
  if (thresholds.active('event_loop')) disposers.push(watchEventLoop(thresholds, options));
  if (thresholds.active('dns')) disposers.push(watchDns(thresholds));
  if (thresholds.active('http_server')) disposers.push(watchHttpServer(thresholds));
  if (thresholds.active('http_client')) disposers.push(watchHttpClient(thresholds));
  if (thresholds.active('tcp_write')) disposers.push(watchTcpWrites(thresholds));
  return () => {
    for (const dispose of disposers.splice(0)) dispose();
  };
}
