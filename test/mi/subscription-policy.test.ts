import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import test from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { startDaemon } from '../../src/serve/serve.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';
import { startTestDaemon, writeTestConfig } from './helpers.js';

const LOG = { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'hello' };

// Issue 12 point 8: memory: is a test transport; from the MI of a daemon its store only grew.
test('herald serve refuses memory: from the MI and from config unless delivery.memory_transport is true', async (t) => {
  const d = await startTestDaemon(t, { extra: { delivery: { memory_transport: false } } });
  const refused = await d.call('event_subscribe', { socket: 'memory:grow', event: 'E_CORE_LOG' });
  assert.equal(refused.error?.code, -32002);
  assert.match(refused.error?.message ?? '', /memory: is a test transport.*set delivery\.memory_transport: true/);
  const { dir, configPath } = await writeTestConfig({}, { delivery: { memory_transport: false }, subscribers: [{ socket: 'memory:cfg', event: 'E_CORE_LOG' }] });
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(startDaemon({ configPath, env: {}, announce: () => undefined }), /subscribers\[0\]\.socket: memory: is a test transport/);
});

test('a memory: store is forgotten when its last subscriber goes; a held reference keeps its events', async (t) => {
  const bus = testBus(t);
  const socket = uniqueMemorySocket('freed');
  const name = socket.slice('memory:'.length);
  await bus.subscribe(socket, { event: 'E_CORE_LOG' });
  const held = memoryStore(name);
  bus.raiseUntyped('E_CORE_LOG', LOG);
  await held.waitFor(1);
  await bus.unsubscribe(socket);
  assert.equal(held.events.length, 1);
  assert.notEqual(memoryStore(name), held, 'the name no longer holds the old store');
  assert.equal(memoryStore(name).events.length, 0);
});

test('subscriptions are capped by delivery.max_subscriptions with a clear error; refreshing one is not a new one', async (t) => {
  const d = await startTestDaemon(t, { extra: { delivery: { memory_transport: true, max_subscriptions: 2 } } });
  const socket = (n: number) => `jsonl:${d.root}/s${n}.log`;
  for (const n of [1, 2]) assert.equal((await d.call('event_subscribe', { socket: socket(n), event: 'E_CORE_LOG' })).error, undefined);
  const third = await d.call('event_subscribe', { socket: socket(3), event: 'E_CORE_LOG' });
  assert.equal(third.error?.code, -32003);
  assert.match(third.error?.message ?? '', /Too many subscriptions: the limit is 2 \(delivery\.max_subscriptions/);
  assert.equal((await d.call('event_subscribe', { socket: socket(1), event: 'E_CORE_LOG', expire: 60 })).error, undefined, 'a refresh');
  await d.result('event_subscribe', { socket: socket(2), event: 'E_CORE_LOG', expire: 0 });
  assert.equal((await d.call('event_subscribe', { socket: socket(3), event: 'E_CORE_LOG' })).error, undefined);
});
