import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import tls from 'node:tls';
import type { HeraldEvent } from '../../src/events/event.js';
import { watchTcpDisconnects } from '../../src/process/tcp.js';
import { testBus } from '../helpers/bus.js';
import { collect, until } from './helpers.js';

const key = readFileSync(new URL('./fixtures/tls-key.pem', import.meta.url));
const cert = readFileSync(new URL('./fixtures/tls-cert.pem', import.meta.url));

function endpoints(event: HeraldEvent): string {
  const p = event.params;
  return `${String(p.proto)} ${String(p.src_ip)}:${String(p.src_port)} -> ${String(p.dst_ip)}:${String(p.dst_port)}`;
}

async function setup(t: { after(fn: () => unknown): void }) {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_TCP_DISCONNECT' });
  t.after(watchTcpDisconnects(bus));
  return Object.assign(store, { bus });
}

/**
 * One TLS connection, closed on both ends; resolves once both sockets have
 * closed (so every disconnect is raised) and the bus has delivered them.
 * `onClient` sees the client socket as soon as tls.connect returns it.
 */
async function tlsRoundTrip(t: { after(fn: () => unknown): void }, bus: { drain(): Promise<void> }, onClient = (_socket: tls.TLSSocket) => {}) {
  let serverClosed: Promise<unknown> = Promise.resolve();
  const server = tls.createServer({ key, cert }, (socket) => {
    serverClosed = once(socket, 'close');
    socket.end('hello');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const client = tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false });
  onClient(client);
  client.resume();
  client.on('end', () => client.end());
  await once(client, 'close');
  await serverClosed;
  await bus.drain();
  return port;
}

test('a closed TCP connection raises E_CORE_TCP_DISCONNECT on both sides, src being the peer', async (t) => {
  const store = await setup(t);
  const server = net.createServer((socket) => {
    socket.resume();
    socket.on('end', () => socket.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const serverPort = (server.address() as AddressInfo).port;
  const client = net.connect(serverPort, '127.0.0.1');
  await once(client, 'connect');
  const clientPort = client.localPort as number;
  client.end('bye');
  await once(client, 'close');
  await store.waitFor(2);
  const lines = store.events.map(endpoints).sort();
  assert.deepEqual(lines, [
    `tcp 127.0.0.1:${clientPort} -> 127.0.0.1:${serverPort}`, // the server's socket: its peer is the client
    `tcp 127.0.0.1:${serverPort} -> 127.0.0.1:${clientPort}`, // the client's socket: its peer is the server
  ].sort());
  assert.equal(store.events[0].level, 'info');
});

test('a connection that never connected raises nothing; a destroyed one does', async (t) => {
  const store = await setup(t);
  const refused = net.connect(1, '127.0.0.1');
  refused.on('error', () => {});
  await new Promise((resolve) => refused.once('close', resolve));
  const server = net.createServer((socket) => socket.destroy());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  client.on('error', () => {});
  await new Promise((resolve) => client.once('close', resolve));
  await until('both ends of the destroyed connection', () => (store.events.length >= 2 ? true : undefined));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(store.events.length, 2, 'only the destroyed connection (both ends)');
  assert.ok(store.events.every((e) => e.params.src_port !== 1 && e.params.dst_port !== 1));
});

test('TLS connections report proto tls on both sides, once each (tls.connect is caught by its wrapper)', async (t) => {
  const store = await setup(t);
  const port = await tlsRoundTrip(t, store.bus);
  const { events } = store;
  // Node 22 and 24 also publish the TLSSocket on net.client.socket: still one event per end.
  assert.deepEqual(events.map((e) => e.params.proto), ['tls', 'tls'], events.map(endpoints).join('; '));
  assert.ok(events.some((e) => e.params.dst_port === port), 'the server side: dst is the listening port');
  assert.ok(events.some((e) => e.params.src_port === port), 'the client side: src is the server');
});

test('a socket published on net.client.socket after the tls.connect wrapper saw it is reported once', async (t) => {
  const store = await setup(t);
  // What Node 22 and 24 do inside tls.connect, done again here so every Node version runs this path.
  const channel = diagnosticsChannel.channel('net.client.socket');
  await tlsRoundTrip(t, store.bus, (client) => channel.publish({ socket: client }));
  assert.equal(store.events.length, 2, store.events.map(endpoints).join('; '));
});

test('a WebSocket upgrade reports proto ws on both sides', async (t) => {
  const store = await setup(t);
  const server = http.createServer();
  server.on('upgrade', (req, socket: net.Socket) => {
    socket.end('HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const port = (server.address() as AddressInfo).port;
  const request = http.request({ port, host: '127.0.0.1', headers: { Connection: 'Upgrade', Upgrade: 'websocket' } });
  request.end();
  const [, socket] = (await once(request, 'upgrade')) as [http.IncomingMessage, net.Socket];
  socket.resume();
  socket.end();
  const events = await until('two ws disconnects', () => (store.events.length >= 2 ? store.events : undefined));
  assert.deepEqual(events.map((e) => e.params.proto), ['ws', 'ws'], events.map(endpoints).join('; '));
});

test('after the disposer, closing connections raises nothing', async (t) => {
  const bus = testBus(t);
  const store = await collect(bus, { event: 'E_CORE_TCP_DISCONNECT' });
  const stop = watchTcpDisconnects(bus);
  const server = net.createServer((socket) => socket.end());
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  t.after(() => server.close());
  const client = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
  client.resume();
  await once(client, 'connect');
  stop();
  await once(client, 'close');
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(store.events.length, 0);
});
