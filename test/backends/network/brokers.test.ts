import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { Redis } from 'ioredis';
import { mqttBackend } from '../../../src/backends/mqtt/index.js';
import { redisBackend } from '../../../src/backends/redis/index.js';
import type { Backend, BackendFactory } from '../../../src/bus/backend.js';
import { parseSocket } from '../../../src/bus/socket.js';
import { createDefaultCatalogue } from '../../../src/events/packs/index.js';
import { silentLogger } from '../../../src/log/logger.js';
import { conformanceEvents } from '../../conformance/backend-suite.js';
import { privateRedis } from '../../helpers/private-daemon.js';

/* What the redis:// and mqtt:// backends do beyond the conformance suite: options, templates, refusals. */

async function opened(t: TestContext, factory: BackendFactory, socket: string): Promise<Backend> {
  const backend = factory.create(parseSocket(socket), {
    catalogue: createDefaultCatalogue(), logger: silentLogger(), fileRoots: [], dataDir: process.cwd(), raise: () => {},
  });
  t.after(() => backend.close());
  await backend.open(new AbortController().signal);
  return backend;
}

async function redisReader(t: TestContext, port: number): Promise<Redis> {
  const reader = new Redis({ host: '127.0.0.1', port, lazyConnect: true });
  await reader.connect();
  t.after(() => reader.disconnect());
  return reader;
}

test('redis: the stream name comes from the template, and maxlen trims it approximately (MAXLEN ~)', async (t) => {
  const redis = await privateRedis(t);
  if (redis === undefined) return;
  const backend = await opened(t, redisBackend, `redis://127.0.0.1:${redis.port}/herald:{category}:{type}?maxlen=100`);
  for (let i = 0; i < 20; i++) assert.deepEqual(await backend.write(conformanceEvents(100)), { status: 'ok' });
  const reader = await redisReader(t, redis.port);
  const length = await reader.xlen('herald:core:E_CORE_THRESHOLD');
  assert.ok(length >= 100 && length < 2000, `the stream holds about 100 of the 2000 entries (${length})`);
  const [[, fields]] = await reader.xrevrange('herald:core:E_CORE_THRESHOLD', '+', '-', 'COUNT', 1);
  assert.equal(fields[0], 'event');
  assert.match(fields[1], /^\{"id":"[0-9a-f-]{36}","time":/);
});

test('redis: a key that is not a stream refuses its events for good (counted as failed), the rest of the batch is delivered', async (t) => {
  const redis = await privateRedis(t);
  if (redis === undefined) return;
  const reader = await redisReader(t, redis.port);
  await reader.set('not-a-stream', 'x');
  const backend = await opened(t, redisBackend, `redis://127.0.0.1:${redis.port}/not-a-stream`);
  const result = await backend.write(conformanceEvents(3));
  assert.equal(result.status, 'ok');
  assert.deepEqual(result.status === 'ok' ? result.refused?.indexes : undefined, [0, 1, 2]);
  assert.match(result.status === 'ok' ? String(result.refused?.error.message) : '', /WRONGTYPE/);
});

test('redis: mode=publish sends each event to the channel subscribers, format=jsonrpc as OpenSIPS\'s notification', async (t) => {
  const redis = await privateRedis(t);
  if (redis === undefined) return;
  const listener = await redisReader(t, redis.port);
  const messages: string[] = [];
  listener.on('message', (_channel: string, message: string) => messages.push(message));
  await listener.subscribe('herald-live');
  const backend = await opened(t, redisBackend, `redis://127.0.0.1:${redis.port}/herald-live?mode=publish&format=jsonrpc`);
  const events = conformanceEvents(2);
  assert.deepEqual(await backend.write(events), { status: 'ok' });
  // Pub/sub messages reach the listener after PUBLISH returned; wait for them (bounded, not timed).
  for (let wait = 0; wait < 1000 && messages.length < 2; wait++) await new Promise((resolve) => setTimeout(resolve, 10));
  const bodies = messages.map((message) => JSON.parse(message) as { jsonrpc: string; method: string; params: { extra: string; event_id: string } });
  assert.deepEqual(bodies.map((body) => [body.jsonrpc, body.method, body.params.extra, body.params.event_id]),
    events.map((event) => ['2.0', 'E_CORE_THRESHOLD', event.params.extra, event.id]));
});

test('broker sockets: bad ones are refused at subscribe with the reason; destinations name the host:port touched', () => {
  const refused: ReadonlyArray<[BackendFactory, string, RegExp]> = [
    [mqttBackend, 'mqtt://127.0.0.1:1883/herald/+/x', /wildcards/],
    [mqttBackend, 'mqtt://127.0.0.1:1883/herald/{nope}', /unknown placeholder \{nope\}/],
    [mqttBackend, 'mqtt://127.0.0.1:1883', /names no destination/],
    [mqttBackend, 'mqtt:127.0.0.1/x', /is not a URL/],
    [mqttBackend, 'mqtt://127.0.0.1/x?qos=3', /option "qos"/],
    [redisBackend, 'redis://127.0.0.1/s?mode=push', /option "mode"/],
    [redisBackend, 'redis://127.0.0.1/s?bogus=1', /unknown option "bogus"/],
  ];
  const context = { catalogue: createDefaultCatalogue(), logger: silentLogger(), fileRoots: [], dataDir: process.cwd(), raise: () => {} };
  for (const [factory, socket, reason] of refused) {
    assert.throws(() => factory.create(parseSocket(socket), context), (error: Error & { code?: string }) => error.code === 'HERALD_ERR_BAD_SOCKET' && reason.test(error.message), socket);
  }
  const at = (factory: BackendFactory, socket: string) => factory.destinations?.(parseSocket(socket), { destinationsOf: () => [] });
  assert.deepEqual(at(mqttBackend, 'mqtt://broker.example:1999/t'), [{ host: 'broker.example', port: 1999 }]);
  assert.deepEqual(at(mqttBackend, 'mqtts://u:p@[::1]/t'), [{ host: '::1', port: 8883 }]);
  assert.deepEqual(at(redisBackend, 'redis://:pw@10.0.0.2/s'), [{ host: '10.0.0.2', port: 6379 }]);
});
