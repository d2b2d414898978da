import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import dns from 'node:dns';
import { once } from 'node:events';
import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import type { HeraldEvent } from '../../src/events/event.js';
import { eventToJsonLine } from '../../src/events/serialize-json.js';
import { HTTP_CLIENT_ERROR, instrument } from '../../src/process/instrument/index.js';
import { testBus } from '../helpers/bus.js';
import { collect, until } from './helpers.js';

interface Loopback {
  readonly port: number;
  /** Server-side sockets, to compare their byte counters with the client's view. */
  readonly sockets: Socket[];
}

async function loopback(t: { after(fn: () => unknown): void }): Promise<Loopback> {
  const sockets: Socket[] = [];
  const server = http.createServer((req, res) => {
    if (req.url === '/redirect') {
      res.writeHead(302, { location: '/final' }).end();
      return;
    }
    if (req.url === '/missing') {
      res.writeHead(404).end('not here');
      return;
    }
    req.resume();
    req.on('end', () => res.end(`hello ${req.url ?? ''}`));
  });
  server.on('connection', (socket: Socket) => sockets.push(socket));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => {
    server.closeAllConnections();
    server.close();
  });
  return { port: (server.address() as AddressInfo).port, sockets };
}

function request(port: number, path: string, body = ''): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({ port, host: '127.0.0.1', path, method: body === '' ? 'GET' : 'POST', agent: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = http.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function named(store: { events: HeraldEvent[] }, name: string): HeraldEvent[] {
  return store.events.filter((e) => e.name === name);
}

test('http.request raises http_request_finished with the status and the exact bytes on the wire', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=http_request_*' });
  t.after(instrument(bus, { http: true }));
  const server = await loopback(t);
  assert.equal(await request(server.port, '/upload', 'x'.repeat(1000)), 200);
  assert.equal(await request(server.port, '/missing'), 404);
  const finished = await until('two finished requests', () => {
    const found = named(store, 'http_request_finished');
    return found.length >= 2 ? found : undefined;
  });
  await until('server sockets closed', () => (server.sockets.every((s) => s.destroyed) ? true : undefined));
  const [upload, missing] = finished;
  // The server's sockets are closed by now and no longer know their peer's port.
  const clientPort = upload.params.client_port;
  assert.ok(typeof clientPort === 'number' && clientPort > 0);
  assert.deepEqual({ ...upload.params, bytes_in: 0, bytes_out: 0 }, {
    status_code: 200, attempts: 1, redirects: 0, bytes_in: 0, bytes_out: 0,
    client_ip: '127.0.0.1', client_port: clientPort, ip: '127.0.0.1', port: server.port,
  }, 'the request carries its own fields and, as a child of its connection, the connection\'s');
  assert.equal(upload.params.bytes_out, server.sockets[0].bytesRead, 'bytes_out is what the server read');
  assert.equal(upload.params.bytes_in, server.sockets[0].bytesWritten, 'bytes_in is what the server wrote');
  assert.ok((upload.params.bytes_out as number) > 1000);
  assert.equal(missing.params.status_code, 404);
});

test('parent events: http_request_finished is a child of its connection and carries its fields, in the record, filters and metrics', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=client_connection_connected OR event=http_request_finished' });
  const server = await loopback(t);
  // A filter on a field only the parent declares matches the child.
  const byPort = await collect(bus, { filter: `event=http_request_finished AND port=${server.port}` });
  t.after(instrument(bus, { http: true, net: true }));
  assert.equal(await request(server.port, '/a'), 200);
  const [connected, finished] = await until('the connection and its request', () => {
    const pair = [named(store, 'client_connection_connected')[0], named(store, 'http_request_finished')[0]];
    return pair.every((e) => e !== undefined) ? pair : undefined;
  });
  for (const field of ['client_ip', 'client_port', 'ip', 'port']) {
    assert.equal(finished.params[field], connected.params[field], `${field} inherited from the connection`);
  }
  assert.equal(finished.params.status_code, 200, 'the request keeps its own fields');
  const record = JSON.parse(eventToJsonLine(finished)) as { params: Record<string, unknown> };
  assert.deepEqual(Object.keys(record.params), ['status_code', 'attempts', 'redirects', 'bytes_in', 'bytes_out', 'client_ip', 'client_port', 'ip', 'port'],
    'flat record: own fields in catalogue order, then the inherited ones');
  assert.equal(record.params.port, server.port, 'typed: the port stays a number');
  await byPort.waitFor(1);
  assert.equal(byPort.events[0].params.status_code, 200);
});

test('keep-alive: requests sharing one socket each get their own bytes', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'http_request_finished' });
  t.after(instrument(bus, { http: true }));
  const server = await loopback(t);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const get = (path: string) => new Promise<void>((resolve, reject) => {
    http.get({ port: server.port, host: '127.0.0.1', path, agent }, (res) => {
      res.resume();
      res.on('end', resolve);
    }).on('error', reject);
  });
  await get('/one');
  await get('/two-is-longer');
  await store.waitFor(2);
  assert.equal(server.sockets.length, 1, 'both requests used one connection');
  const [one, two] = store.events.map((e) => e.params);
  assert.equal((one.bytes_out as number) + (two.bytes_out as number), server.sockets[0].bytesRead);
  assert.equal((one.bytes_in as number) + (two.bytes_in as number), server.sockets[0].bytesWritten);
  assert.equal((two.bytes_out as number) - (one.bytes_out as number), '/two-is-longer'.length - '/one'.length);
});

test('fetch: a followed redirect raises http_request_redirected, then one http_request_finished with the totals', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=http_request_*' });
  t.after(instrument(bus, { http: true }));
  const server = await loopback(t);
  const response = await fetch(`http://127.0.0.1:${server.port}/redirect`);
  assert.equal(await response.text(), 'hello /final');
  const finished = await until('fetch finished', () => named(store, 'http_request_finished')[0]);
  const redirected = named(store, 'http_request_redirected');
  assert.equal(redirected.length, 1);
  assert.deepEqual([redirected[0].params.status_code, redirected[0].params.redirects], [302, 1]);
  assert.deepEqual([finished.params.status_code, finished.params.attempts, finished.params.redirects], [200, 1, 1]);
  assert.ok((finished.params.bytes_in as number) > (redirected[0].params.bytes_in as number), 'bytes add up over both hops');
  assert.equal(named(store, 'http_request_finished').length, 1);
});

test('fetch with redirect "manual" reports the 3xx as the finished request', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=http_request_*' });
  t.after(instrument(bus, { http: true }));
  const server = await loopback(t);
  const response = await fetch(`http://127.0.0.1:${server.port}/redirect`, { redirect: 'manual' });
  await response.arrayBuffer();
  const finished = await until('fetch finished', () => named(store, 'http_request_finished')[0]);
  assert.deepEqual([finished.params.status_code, finished.params.redirects], [302, 0]);
  assert.equal(named(store, 'http_request_redirected').length, 0);
});

test('failed requests get Dovecot\'s internal status codes (9003 connect failed)', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'http_request_finished' });
  t.after(instrument(bus, { http: true }));
  const closed = await closedPort();
  await assert.rejects(fetch(`http://127.0.0.1:${closed}/`));
  await assert.rejects(request(closed, '/'));
  await store.waitFor(2);
  assert.deepEqual(store.events.map((e) => [e.params.status_code, e.params.bytes_in]), [
    [HTTP_CLIENT_ERROR.CONNECT_FAILED, 0], [HTTP_CLIENT_ERROR.CONNECT_FAILED, 0],
  ]);
});

test('connections: client_ and server_connection_connected/_disconnected with addresses, bytes and reason', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=*_connection_*' });
  t.after(instrument(bus, { net: true }));
  const server = await loopback(t);
  assert.equal(await request(server.port, '/x', 'payload'), 200);
  const events = await until('four connection events', () => (store.events.length >= 4 ? store.events : undefined));
  const byName = Object.fromEntries(events.map((e) => [e.name, e.params]));
  const serverSocket = server.sockets[0];
  const clientPort = serverSocket.remotePort;
  assert.deepEqual(byName.client_connection_connected, { client_ip: '127.0.0.1', client_port: clientPort, ip: '127.0.0.1', port: server.port });
  assert.deepEqual(byName.server_connection_connected, {
    client_ip: '127.0.0.1', client_port: clientPort, ip: '127.0.0.1', port: server.port, bytes_in: 0, bytes_out: 0,
  });
  const client = byName.client_connection_disconnected;
  const accepted = byName.server_connection_disconnected;
  assert.equal(client.bytes_out, accepted.bytes_in, 'what the client wrote, the server read');
  assert.equal(client.bytes_in, accepted.bytes_out);
  assert.ok((client.bytes_out as number) > 'payload'.length);
  assert.deepEqual([client.client_port, client.port, accepted.client_port, accepted.port], [clientPort, server.port, clientPort, server.port]);
  // "Connection: close" makes both ends close at once; which one went first is a race.
  for (const reason of [accepted.reason, client.reason]) assert.ok(['Deinitializing', 'Connection closed'].includes(reason as string));
});

test('disconnect reasons: who closed first, or the error', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=*_connection_disconnected' });
  t.after(instrument(bus, { net: true }));
  let mode: 'end' | 'reset' = 'end';
  const server = net.createServer((socket) => {
    if (mode === 'end') socket.end('bye');
    else socket.once('data', () => socket.resetAndDestroy());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const polite = net.connect(port, '127.0.0.1');
  polite.resume();
  await new Promise((resolve) => polite.once('close', resolve));
  await store.waitFor(2);
  const reasons = Object.fromEntries(store.events.map((e) => [e.name, e.params.reason]));
  assert.deepEqual(reasons, { server_connection_disconnected: 'Deinitializing', client_connection_disconnected: 'Connection closed' });
  mode = 'reset';
  const reset = net.connect(port, '127.0.0.1');
  reset.on('error', () => {});
  reset.resume();
  reset.write('hi');
  await new Promise((resolve) => reset.once('close', resolve));
  const failed = await until('the reset client', () => store.events.slice(2).find((e) => e.name === 'client_connection_disconnected'));
  assert.equal(failed.params.reason, 'Connection closed: read ECONNRESET');
});

test('dns.lookup raises dns_request_started/_finished, with error and error_code only on failure', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=dns_request_*' });
  t.after(instrument(bus, { dns: true }));
  await new Promise<void>((resolve, reject) => dns.lookup('localhost', (error) => (error ? reject(error) : resolve())));
  await assert.rejects(dns.promises.lookup('nonexistent.invalid'));
  const events = await until('four dns events', () => (store.events.length >= 4 ? store.events : undefined), 30_000);
  assert.deepEqual(events.map((e) => e.name), ['dns_request_started', 'dns_request_finished', 'dns_request_started', 'dns_request_finished']);
  const [, ok, , failed] = events;
  assert.deepEqual(Object.keys(ok.params), ['duration']);
  assert.ok((ok.params.duration as number) >= 0);
  assert.match(failed.params.error as string, /nonexistent\.invalid/);
  // getaddrinfo's EAI_NONAME (-2) when the resolver answers, EAI_AGAIN (-3) when it cannot be reached.
  assert.ok([-2, -3, -5].includes(failed.params.error_code as number), `error_code ${String(failed.params.error_code)}`);
});

test('the disposer restores fetch, dns.lookup and the channels', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { filter: 'event=http_request_* OR event=dns_request_* OR event=*_connection_*' });
  const originalFetch = globalThis.fetch;
  const originalLookup = dns.lookup;
  const undo = instrument(bus, { http: true, net: true, dns: true });
  assert.notEqual(globalThis.fetch, originalFetch);
  undo();
  assert.equal(globalThis.fetch, originalFetch);
  assert.equal(dns.lookup, originalLookup);
  const server = await loopback(t);
  await request(server.port, '/after');
  await (await fetch(`http://localhost:${server.port}/after`)).text();
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(store.events.length, 0);
});

test('hooks are attached only while someone listens: no wrapper, no channel subscriber before, restored after', async (t) => {
  const bus = testBus(t);
  const server = await loopback(t);
  const originalFetch = globalThis.fetch;
  const originalLookup = dns.lookup;
  const channels = ['http.client.request.start', 'undici:request:create', 'net.client.socket'].map((name) => diagnosticsChannel.channel(name));
  const attached = () => ({
    fetch: globalThis.fetch !== originalFetch,
    lookup: dns.lookup !== originalLookup,
    channels: channels.map((channel) => channel.hasSubscribers),
  });
  const detachedState = { fetch: false, lookup: false, channels: [false, false, false] };
  const undo = instrument(bus, { http: true, net: true, dns: true });
  t.after(undo);
  assert.deepEqual(attached(), detachedState, 'nobody listens: nothing is hooked');

  const socket = 'memory:instrument-gate';
  await bus.subscribe(socket, { filter: 'event=http_request_* OR event=dns_request_* OR event=*_connection_*' });
  assert.deepEqual(attached(), { fetch: true, lookup: true, channels: [true, true, true] }, 'a subscriber attaches every group');
  await request(server.port, '/listened');
  const store = memoryStore('instrument-gate');
  await until('http_request_finished', () => named(store, 'http_request_finished')[0]);

  await bus.unsubscribe(socket);
  assert.deepEqual(attached(), detachedState, 'the last subscriber gone: everything is unhooked again');

  // An event subscription to one group attaches that group only.
  await bus.subscribe('memory:instrument-gate-dns', { event: 'dns_request_finished' });
  assert.deepEqual(attached(), { fetch: false, lookup: true, channels: [false, false, false] });
  await bus.unsubscribe('memory:instrument-gate-dns');
  assert.deepEqual(attached(), detachedState);
});
