import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import test, { type TestContext } from 'node:test';
import { startDaemon } from '../../src/serve/serve.js';
import { reachable } from '../../src/testing/services.js';
import { startTestDaemon, writeTestConfig } from './helpers.js';

const LOG = { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'hello' };
/** Loopback, but not the allowed 127.0.0.1: Linux answers on all of 127.0.0.0/8. */
const OUTSIDE = '127.0.0.2';

/** A listener of one transport on `host` that counts what reaches it: connections, datagrams or requests. */
interface Listener {
  readonly port: number;
  /** Connections accepted (TCP, HTTP) or datagrams received (UDP). */
  readonly contacts: () => number;
  /** Resolves once something has arrived. */
  readonly reached: Promise<void>;
}

async function listen(t: TestContext, kind: 'tcp' | 'udp' | 'http', host: string): Promise<Listener> {
  let contacts = 0;
  let arrived = () => {};
  const reached = new Promise<void>((resolve) => { arrived = resolve; });
  const contact = () => { contacts++; arrived(); };
  if (kind === 'udp') {
    const socket = createSocket('udp4');
    socket.on('message', contact);
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    t.after(() => new Promise<void>((resolve) => socket.close(() => resolve())));
    return { port: socket.address().port, contacts: () => contacts, reached };
  }
  const server = kind === 'tcp' ? createTcpServer((socket) => socket.resume()) : createHttpServer((request, response) => { request.resume(); response.end(); });
  const open = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    contact();
    open.add(socket);
    socket.on('error', () => undefined).on('close', () => open.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  t.after(() => new Promise<void>((resolve) => {
    for (const socket of open) socket.destroy();
    server.close(() => resolve());
  }));
  return { port: (server.address() as AddressInfo).port, contacts: () => contacts, reached };
}

const socketOf = (kind: 'tcp' | 'udp' | 'http', host: string, port: number) => (kind === 'http' ? `http://${host}:${port}/events` : `${kind}:${host}:${port}`);

// Issue 13: event_subscribe udp:/tcp:/http:/postgres:… made the daemon connect to any host the MI named.
test('run-time subscribers may reach only delivery.allowed_destinations: refused before anything is opened, config subscribers trusted', async (t) => {
  const kinds = ['tcp', 'udp', 'http'] as const;
  const refusedPeers = await Promise.all(kinds.map((kind) => listen(t, kind, OUTSIDE)));
  const configPeers = await Promise.all(kinds.map((kind) => listen(t, kind, OUTSIDE)));
  const allowedPeers = await Promise.all(kinds.map((kind) => listen(t, kind, '127.0.0.1')));
  const d = await startTestDaemon(t, {
    extra: {
      delivery: { memory_transport: true, allowed_destinations: ['127.0.0.1'] },
      subscribers: kinds.map((kind, i) => ({ socket: socketOf(kind, OUTSIDE, configPeers[i].port), event: 'E_CORE_LOG' })),
    },
  });
  const refusedSockets = [
    ...kinds.map((kind, i) => socketOf(kind, OUTSIDE, refusedPeers[i].port)),
    `postgres://postgres@${OUTSIDE}:5432/test`,
    `mysql://root@${OUTSIDE}:3306/test`,
    `postgres://postgres:secret@[::ffff:10.1.2.3]/test`,
    `virtual:FAILOVER ${socketOf('tcp', '127.0.0.1', allowedPeers[0].port)} ${socketOf('tcp', OUTSIDE, refusedPeers[0].port)}`,
  ];
  for (const socket of refusedSockets) {
    const refused = await d.call('event_subscribe', { socket, event: 'E_CORE_LOG' });
    assert.equal(refused.error?.code, -32002, socket);
    assert.match(refused.error?.message ?? '', /^Param "socket": .+ is not in delivery\.allowed_destinations \(127\.0\.0\.1\); add it to delivery\.allowed_destinations/, socket);
    assert.doesNotMatch(refused.error?.message ?? '', /secret/, 'a password never comes back');
  }
  for (const [i, kind] of kinds.entries()) {
    const accepted = await d.call('event_subscribe', { socket: socketOf(kind, '127.0.0.1', allowedPeers[i].port), event: 'E_CORE_LOG' });
    assert.equal(accepted.error, undefined, kind);
  }
  await d.result('raise_event', { event: 'E_CORE_LOG', params: LOG });
  await Promise.all([...configPeers, ...allowedPeers].map((peer) => peer.reached));
  assert.deepEqual(refusedPeers.map((peer) => peer.contacts()), [0, 0, 0], 'no connection, datagram or request reached a refused peer');
  const listed = JSON.stringify(await d.result('subscribers_list'));
  for (const peer of refusedPeers) assert.doesNotMatch(listed, new RegExp(`:${peer.port}\\b`));
  const stats = await d.result<{ totals: { refused: number } }>('get_statistics');
  assert.equal(stats.totals.refused, refusedSockets.length, 'every refusal is counted');
});

test('an event store on an allowed database server is accepted from the MI', async (t) => {
  if (!(await reachable('127.0.0.1', 5432))) {
    if (process.env.HERALD_REQUIRE_SERVICES === '1') throw new Error('PostgreSQL not reachable on 127.0.0.1:5432 (HERALD_REQUIRE_SERVICES=1)');
    t.skip('PostgreSQL not reachable on 127.0.0.1:5432');
    return;
  }
  const d = await startTestDaemon(t, { extra: { delivery: { memory_transport: true, allowed_destinations: ['127.0.0.1:5432'] } } });
  const table = `herald_allowed_${process.pid}_${Date.now()}`;
  const { default: pg } = await import('pg');
  t.after(async () => {
    const client = new pg.Client('postgres://postgres@127.0.0.1:5432/test');
    await client.connect();
    await client.query(`DROP TABLE IF EXISTS ${table}`);
    await client.end();
  });
  const accepted = await d.call('event_subscribe', { socket: `postgres://postgres@127.0.0.1:5432/test?table=${table}`, event: 'E_CORE_LOG' });
  assert.equal(accepted.error, undefined);
  const refused = await d.call('event_subscribe', { socket: `postgres://postgres@127.0.0.1:5433/test?table=${table}`, event: 'E_CORE_LOG' });
  assert.match(refused.error?.message ?? '', /127\.0\.0\.1:5433 is not in delivery\.allowed_destinations \(127\.0\.0\.1:5432\)/);
});

test('saved run-time subscriptions are checked again at restart: one outside the allowed hosts is not restored, and counted', async (t) => {
  const outside = await listen(t, 'tcp', OUTSIDE);
  const inside = await listen(t, 'tcp', '127.0.0.1');
  const { dir, configPath } = await writeTestConfig({}, { delivery: { memory_transport: true, allowed_destinations: ['127.0.0.1'] } });
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(join(dir, 'data'), { recursive: true });
  const saved = [`tcp:${OUTSIDE}:${outside.port}`, `tcp:127.0.0.1:${inside.port}`]
    .map((socket) => ({ socket, event: 'E_CORE_LOG', mode: 'at-most-once', expiresAtMs: null }));
  await writeFile(join(dir, 'data', 'subscriptions.json'), JSON.stringify({ subscriptions: saved }));
  const daemon = await startDaemon({ configPath, env: {}, announce: () => undefined });
  t.after(() => daemon.stop());
  const { bus } = daemon.runtime;
  assert.deepEqual(bus.subscribers().map((info) => info.socket), [`tcp:127.0.0.1:${inside.port}`]);
  assert.equal(bus.statistics().totals.refused, 1);
  bus.raiseUntyped('E_CORE_LOG', LOG);
  await inside.reached;
  assert.equal(outside.contacts(), 0);
});

test('a bad delivery.allowed_destinations pattern is a config error naming the key', async (t) => {
  const { dir, configPath } = await writeTestConfig({}, { delivery: { allowed_destinations: ['10.0.0.0/40'] } });
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), /delivery\.allowed_destinations\[0\]: .*the prefix must be 0\.\.32/);
});
