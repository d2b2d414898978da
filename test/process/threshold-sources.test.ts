import assert from 'node:assert/strict';
import dns from 'node:dns';
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { watchDns, watchEventLoop, watchHttpClient, watchHttpServer, watchTcpWrites } from '../../src/process/threshold-sources/index.js';
import { createThresholds } from '../../src/process/thresholds.js';
import { testBus } from '../helpers/bus.js';
import { busyWait, collect, eventWhere } from './helpers.js';

async function listen(t: { after(fn: () => void): void }, handler: http.RequestListener): Promise<number> {
  const server = http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  return (server.address() as AddressInfo).port;
}

function get(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(url, { agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    }).on('error', reject);
  });
}

test('a slow HTTP handler raises E_CORE_THRESHOLD source http_server with the request line', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_THRESHOLD' });
  t.after(watchHttpServer(createThresholds({ bus, thresholdsUs: { http_server: 50_000 } })));
  const port = await listen(t, (req, res) => {
    busyWait(120); // the handler hogs the loop past the 50 ms threshold
    res.end('done');
  });
  assert.equal(await get(`http://127.0.0.1:${port}/slow/path?x=1`), 200);
  const event = await eventWhere(store, 'http_server threshold', (e) => e.params.source === 'http_server');
  assert.equal(event.params.extra, 'GET /slow/path?x=1 HTTP/1.1');
  assert.ok((event.params.time as number) >= 100_000, `time ${String(event.params.time)} µs covers the 120 ms handler`);
  assert.equal(event.level, 'warning');
});

test('a blocked event loop raises E_CORE_THRESHOLD source event_loop', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_THRESHOLD' });
  t.after(watchEventLoop(createThresholds({ bus, thresholdsUs: { event_loop: 50_000 } }), { sampleMs: 10 }));
  await new Promise((resolve) => setTimeout(resolve, 30));
  busyWait(200);
  // A loaded machine can stall the loop past 50 ms on its own before the block: wait for the event that covers the
  // 200 ms block, not the first one. If no event covers it, the wait times out and the test fails.
  const event = await eventWhere(store, 'event_loop threshold covering the 200 ms block', (e) => e.params.source === 'event_loop' && (e.params.time as number) >= 150_000);
  assert.ok((event.params.time as number) < 2_000_000, `lag ${String(event.params.time)} µs is about the block, not the whole test`);
  assert.match(event.params.extra as string, /^event loop blocked for \d+\.\d ms$/);
});

test('slow outgoing requests raise source http_client, for http.request and for fetch', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_THRESHOLD' });
  t.after(watchHttpClient(createThresholds({ bus, thresholdsUs: { http_client: 50_000 } })));
  const port = await listen(t, (req, res) => {
    setTimeout(() => res.end('late'), 120);
  });
  await get(`http://127.0.0.1:${port}/by-http`);
  await (await fetch(`http://127.0.0.1:${port}/by-fetch`)).text();
  const byHttp = await eventWhere(store, 'http.request threshold', (e) => String(e.params.extra).endsWith('/by-http'));
  const byFetch = await eventWhere(store, 'fetch threshold', (e) => String(e.params.extra).endsWith('/by-fetch'));
  assert.equal(byHttp.params.extra, `GET http://127.0.0.1:${port}/by-http`);
  assert.equal(byFetch.params.extra, `GET http://127.0.0.1:${port}/by-fetch`);
  for (const event of [byHttp, byFetch]) assert.ok((event.params.time as number) >= 100_000);
});

test('dns.lookup beyond the threshold raises source dns with the host name', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_THRESHOLD' });
  t.after(watchDns(createThresholds({ bus, thresholdsUs: { dns: 1 } })));
  await dns.promises.lookup('localhost');
  await new Promise<void>((resolve) => dns.lookup('localhost', () => resolve()));
  await store.waitFor(2);
  assert.deepEqual(store.events.map((e) => [e.params.source, e.params.extra]), [['dns', 'localhost'], ['dns', 'localhost']]);
});

test('a TCP write held up by a peer that does not read raises source tcp_write', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_THRESHOLD' });
  t.after(watchTcpWrites(createThresholds({ bus, thresholdsUs: { tcp_write: 50_000 } })));
  let serverSide: net.Socket | undefined;
  const server = net.createServer((socket) => {
    serverSide = socket;
    socket.pause(); // a peer that stops reading
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const client = net.connect(port, '127.0.0.1');
  await once(client, 'connect');
  const written = new Promise<void>((resolve) => client.write(Buffer.alloc(16 * 1024 * 1024), () => resolve()));
  await new Promise((resolve) => setTimeout(resolve, 150));
  serverSide?.resume();
  await written;
  client.destroy();
  const event = await eventWhere(store, 'tcp_write threshold', (e) => e.params.source === 'tcp_write');
  assert.equal(event.params.extra, `127.0.0.1:${port} ${16 * 1024 * 1024} bytes`);
  assert.ok((event.params.time as number) >= 100_000);
});
