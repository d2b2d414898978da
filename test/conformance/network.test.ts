import { join } from 'node:path';
import { eventStoreBackends } from '../../src/backends/event-store/index.js';
import { openEventStore } from '../../src/backends/event-store/open.js';
import { searchEvents } from '../../src/backends/event-store/search.js';
import { httpBackend } from '../../src/backends/http/index.js';
import { tcpBackend } from '../../src/backends/tcp/index.js';
import { udpBackend } from '../../src/backends/udp/index.js';
import { httpPeer, tcpPeer, udpReceiver } from '../backends/network/helpers.js';
import { tempDir } from '../backends/helpers.js';
import { backendConformance } from './backend-suite.js';

type Params = { params?: { extra?: unknown } };

/** The conformance markers (params.extra) of JSON-RPC bodies or JSON records. */
function markers(bodies: readonly string[]): string[] {
  return bodies.map((body) => String((JSON.parse(body) as Params).params?.extra));
}

backendConformance({
  name: 'udp',
  noRetryableReason: 'a datagram to a closed port is accepted by the kernel; only a later ICMP error shows it, so no break is certain',
  setup: async (t) => {
    const peer = await udpReceiver(t);
    return {
      factory: udpBackend, socket: `udp:127.0.0.1:${peer.port}`,
      // Loopback datagrams arrive in order; wait for the ones already sent to land.
      received: async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return markers(peer.received.map((datagram) => datagram.toString()));
      },
    };
  },
});

backendConformance({
  name: 'tcp (reliable)',
  setup: async (t) => {
    const answer = (request: Record<string, unknown>) => ({ jsonrpc: '2.0', result: 'ok', id: request.id });
    const peers = [await tcpPeer(t, answer)];
    const port = peers[0].port;
    return {
      factory: tcpBackend, socket: `tcp:127.0.0.1:${port}?reliable=1&timeout_ms=500&connect_timeout_ms=500`,
      received: async () => peers.flatMap((peer) => peer.requests.map((request) => String((request as Params).params?.extra))),
      breakRetryable: async () => {
        await peers[peers.length - 1].close();
        return async () => {
          peers.push(await tcpPeer(t, answer, port));
        };
      },
    };
  },
});

backendConformance({
  name: 'http (ndjson)',
  setup: async (t) => {
    const peers = [await httpPeer(t)];
    const url = peers[0].url;
    const lines = () => peers.flatMap((peer) => peer.hits.flatMap((hit) => hit.body.split('\n').filter((line) => line !== '')));
    return {
      factory: httpBackend, socket: `${url}/events?format=ndjson&timeout_ms=500`,
      received: async () => markers(lines()),
      breakRetryable: async () => {
        await peers[peers.length - 1].close();
        return async () => {
          peers.push(await httpPeer(t, undefined, Number(new URL(url).port)));
        };
      },
    };
  },
});

backendConformance({
  name: 'sqlite event store',
  noRetryableReason: 'SQLite\'s retryable failures (a full disk, a lock held elsewhere) cannot be provoked reliably in a test',
  setup: async (t) => {
    const dir = tempDir(t, 'herald-conformance-');
    const path = join(dir, 'events.db');
    const factory = eventStoreBackends.find((candidate) => candidate.transport === 'sqlite');
    if (factory === undefined) throw new Error('no sqlite factory');
    return {
      factory, socket: `sqlite:${path}`, context: { fileRoots: [dir], dataDir: dir },
      received: async () => {
        const store = await openEventStore(`sqlite:${path}`, 'herald_events', 'read');
        try {
          return (await searchEvents(store, { limit: 100_000 })).events.reverse().map((event) => String(event.params.extra));
        } finally {
          await store.close();
        }
      },
    };
  },
});
