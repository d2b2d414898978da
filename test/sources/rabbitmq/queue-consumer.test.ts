import assert from 'node:assert/strict';
import { test } from 'node:test';
import { brokerBodyEncoder } from '../../../src/backends/shared/broker-body.js';
import { memoryStore } from '../../../src/backends/memory/index.js';
import { createEvent, type HeraldEvent } from '../../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../../src/events/packs/core.js';
import { UntypedDefs } from '../../../src/events/untyped.js';
import { silentLogger } from '../../../src/log/logger.js';
import { BrokerIntake } from '../../../src/sources/broker/broker-intake.js';
import { Intake } from '../../../src/sources/ingest/intake.js';
import { QueueConsumer } from '../../../src/sources/rabbitmq/queue-consumer.js';
import { cuttableProxy, requireRabbit, testQueue } from '../../backends/network/rabbitmq-helpers.js';
import { testBus, uniqueMemorySocket } from '../../helpers/bus.js';

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 5));
}

function threshold(extra: string): HeraldEvent {
  return createEvent(E_CORE_THRESHOLD, { source: 'rabbit', time: 1, extra }, undefined, 'herald');
}

test('rabbitmq source: real publishes land typed with their ids, acked only once taken; a redelivery, a bad body and a cut connection lose and double nothing', async (t) => {
  if (!await requireRabbit(t)) return;
  const bus = testBus(t);
  const socket = uniqueMemorySocket('rabbit-source');
  await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name });
  const queue = await testQueue(t);
  const proxy = await cuttableProxy(t);
  const intake = new Intake(bus);
  const kit = new BrokerIntake(bus, intake, { catalogue: bus.catalogue, untyped: new UntypedDefs(), unknown: 'reject', source: 'rabbitmq' }, {
    format: 'auto', maxMessageBytes: 4096, dedupIds: 10_000, dedupWindowMs: 600_000,
  });
  const consumer = new QueueConsumer({
    url: `amqp://guest:guest@127.0.0.1:${proxy.port}/`, queue: queue.name, prefetch: 50, heartbeat: 0, connectTimeoutMs: 500, retryMs: 20,
    intake: kit, logger: silentLogger(),
  });
  consumer.start();
  t.after(() => consumer.close());

  const record = brokerBodyEncoder('json');
  const jsonrpc = brokerBodyEncoder('jsonrpc');
  const events = Array.from({ length: 2000 }, (_, i) => threshold(`m${i}`));
  const publish = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      queue.channel.sendToQueue(queue.name, Buffer.from((i % 2 === 0 ? record : jsonrpc)(events[i])), { messageId: events[i].id, persistent: true });
    }
  };
  publish(0, 1000);
  queue.channel.sendToQueue(queue.name, Buffer.from(record(events[3]))); // a redelivery from a publisher retry
  queue.channel.sendToQueue(queue.name, Buffer.from('{"not":"an event"')); // broken JSON
  const store = memoryStore(socket.slice('memory:'.length));
  await until(() => store.events.length > 0);
  await proxy.cut(); // mid-stream: unacknowledged messages go back to the queue
  publish(1000, 2000);
  await proxy.restore();
  await until(() => store.events.length >= events.length && consumer.connections >= 2);
  await bus.drain();
  const got = store.events.map((event) => event.id);
  assert.deepEqual(new Set(got), new Set(events.map((event) => event.id)), 'an event was lost');
  assert.equal(got.length, events.length, 'a redelivery reached the bus');
  assert.ok(store.events.every((event) => event.name === E_CORE_THRESHOLD.name && String(event.params.extra).startsWith('m')));
  await until(() => intake.stats.snapshot().rejected >= 1);
  const counters = { ...intake.stats.snapshot(), ...kit.counters() };
  t.diagnostic(`rabbitmq source: ${JSON.stringify(counters)}`);
  assert.ok(counters.duplicates >= 1);
  assert.equal(counters.rejected, 1);
  // Every message was acknowledged: nothing is left in the queue.
  await consumer.close();
  const check = await queue.channel.checkQueue(queue.name);
  assert.equal(check.messageCount, 0);
});
