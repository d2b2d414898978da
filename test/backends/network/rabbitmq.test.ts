import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { memoryStore } from '../../../src/backends/memory/index.js';
import { rabbitmqBackend } from '../../../src/backends/rabbitmq/index.js';
import { parseSocket } from '../../../src/bus/socket.js';
import { isEventId } from '../../../src/events/event-id.js';
import { testBus, uniqueMemorySocket } from '../../helpers/bus.js';
import { tempDir } from '../helpers.js';
import { Blocked } from './helpers.js';
import { cuttableProxy, requireRabbit, testQueue, uniqueName } from './rabbitmq-helpers.js';

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function destinations(socket: string) {
  return rabbitmqBackend.destinations?.(parseSocket(socket), { destinationsOf: () => [] });
}

test('rabbitmq: OpenSIPS socket syntax, guest and 5672 by default; the host:port it touches is declared from the socket alone', () => {
  assert.deepEqual(destinations('rabbitmq:127.0.0.1/herald'), [{ host: '127.0.0.1', port: 5672 }]);
  assert.deepEqual(destinations('rabbitmq:app:p%40ss@mq.example.net:5673/a.b?exchange=x'), [{ host: 'mq.example.net', port: 5673 }]);
  assert.deepEqual(destinations('rabbitmq:[::1]:5672/k'), [{ host: '::1', port: 5672 }]);
  for (const bad of ['rabbitmq:127.0.0.1', 'rabbitmq:127.0.0.1:0/k', 'rabbitmq:127.0.0.1:99999/k', 'rabbitmq:u@/k', 'rabbitmq:u:%zz@h/k']) {
    assert.throws(() => destinations(bad), (error: Error & { code?: string }) => error.code === 'HERALD_ERR_BAD_SOCKET' && error.message.includes('Socket '), bad);
  }
});

test('rabbitmq: an unknown or bad option is refused at subscribe, naming it', async (t) => {
  const bus = testBus(t);
  bus.catalogue.add([Blocked]);
  await assert.rejects(bus.subscribe('rabbitmq:127.0.0.1/k?exchnage=x', { event: Blocked.name }), /unknown option "exchnage"/);
  await assert.rejects(bus.subscribe('rabbitmq:127.0.0.1/k?heartbeat=-1', { event: Blocked.name }), /option "heartbeat"/);
});

test('rabbitmq: each event is a persistent message, message id = event id, body the JSON record (or JSON-RPC), via an exchange too', async (t) => {
  if (!await requireRabbit(t)) return;
  const bus = testBus(t, { delivery: { lingerMs: 0 } });
  bus.catalogue.add([Blocked]);
  const exchange = uniqueName('x');
  const direct = await testQueue(t);
  const routed = await testQueue(t, { exchange, routingKey: 'alerts' });
  await bus.subscribe(`rabbitmq:guest:guest@127.0.0.1:5672/${direct.name}`, { event: Blocked.name });
  await bus.subscribe(`rabbitmq:127.0.0.1/alerts?exchange=${exchange}&format=jsonrpc&persistent=false`, { event: Blocked.name });
  bus.raise(Blocked, { ip: '192.0.2.7', count: 3 });
  await bus.drain();
  const [record] = await direct.drain();
  const [rpc] = await routed.drain();
  const body = JSON.parse(record.content.toString()) as { id: string; type: string; params: Record<string, unknown> };
  assert.equal(body.type, 'E_TEST_NET_BLOCKED');
  assert.deepEqual(body.params, { ip: '192.0.2.7', count: 3 });
  assert.ok(isEventId(body.id));
  assert.equal(record.properties.messageId, body.id);
  assert.equal(record.properties.deliveryMode, 2);
  assert.equal(record.properties.contentType, 'application/json');
  assert.equal(rpc.content.toString(), `{"jsonrpc":"2.0","method":"E_TEST_NET_BLOCKED","params":{"ip":"192.0.2.7","count":3,"event_id":"${body.id}"}}`);
  assert.equal(rpc.properties.messageId, body.id);
  assert.notEqual(rpc.properties.deliveryMode, 2);
});

test('rabbitmq: a dead broker never blocks: writes come back retryable, other subscribers get every event (OpenSIPS #1836)', async (t) => {
  const closed = createServer();
  closed.listen(0, '127.0.0.1');
  await once(closed, 'listening');
  const port = (closed.address() as AddressInfo).port;
  await new Promise<void>((resolve) => closed.close(() => resolve()));
  const bus = testBus(t, { delivery: { lingerMs: 0, retryBaseMs: 10, retryMaxMs: 50 } });
  bus.catalogue.add([Blocked]);
  const memory = uniqueMemorySocket('rabbit-dead');
  await bus.subscribe(`rabbitmq:127.0.0.1:${port}/k?connect_timeout_ms=200`, { event: Blocked.name });
  await bus.subscribe(memory, { event: Blocked.name });
  for (let i = 0; i < 200; i++) bus.raise(Blocked, { ip: '192.0.2.1', count: i });
  await until(() => bus.subscribers({ socket: memory })[0].delivered === 200);
  await until(() => (bus.subscribers({ socket: `rabbitmq:127.0.0.1:${port}/k?connect_timeout_ms=200` })[0].retries) > 0);
  const dead = bus.subscribers({ socket: `rabbitmq:127.0.0.1:${port}/k?connect_timeout_ms=200` })[0];
  assert.equal(dead.delivered, 0);
  assert.equal(dead.failed, 0);
  assert.match(dead.lastError ?? '', /cannot connect/);
  assert.equal(memoryStore(memory.slice('memory:'.length)).events.length, 200);
});

test('rabbitmq outage: the proxy to the broker is cut mid-stream and restored; at-least-once, every event lands, duplicates only by message id (OpenSIPS #535)', async (t) => {
  if (!await requireRabbit(t)) return;
  const dir = tempDir(t, 'herald-rabbit-outage-');
  const queue = await testQueue(t);
  const proxy = await cuttableProxy(t);
  const bus = testBus(t, { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 10, retryMaxMs: 100 } });
  bus.catalogue.add([Blocked]);
  const socket = `rabbitmq:127.0.0.1:${proxy.port}/${queue.name}?connect_timeout_ms=200&timeout_ms=1000`;
  await bus.subscribe(socket, { event: Blocked.name, delivery: 'at-least-once' });
  const TOTAL = 3000;
  const ids: string[] = [];
  const remember = bus.tap((event) => { if (event.name === Blocked.name) ids.push(event.id); });
  t.after(remember);
  for (let i = 0; i < TOTAL / 2; i++) bus.raise(Blocked, { ip: '192.0.2.1', count: i });
  await until(() => bus.subscribers({ socket })[0].delivered > 0);
  await proxy.cut();
  for (let i = TOTAL / 2; i < TOTAL; i++) bus.raise(Blocked, { ip: '192.0.2.1', count: i });
  await until(() => bus.subscribers({ socket })[0].retries > 0);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  await proxy.restore();
  await bus.drain();
  const messages = await queue.drain();
  const received = messages.map((message) => String(message.properties.messageId));
  const unique = new Set(received);
  assert.equal(ids.length, TOTAL);
  assert.deepEqual([...ids].filter((id) => !unique.has(id)), [], 'an event was lost');
  assert.equal(unique.size, TOTAL);
  const info = bus.subscribers({ socket })[0];
  t.diagnostic(`rabbitmq outage: ${TOTAL} raised, ${received.length - unique.size} duplicates (by message id), ${info.retries} retries`);
  assert.equal(info.dropped, 0);
  assert.equal(info.failed, 0);
});
