import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jetstream } from '@nats-io/jetstream';
import { brokerBodyEncoder } from '../../../src/backends/shared/broker-body.js';
import { memoryStore } from '../../../src/backends/memory/index.js';
import { createEvent } from '../../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../../src/events/packs/core.js';
import { UntypedDefs } from '../../../src/events/untyped.js';
import { BrokerIntake } from '../../../src/sources/broker/broker-intake.js';
import { Intake } from '../../../src/sources/ingest/intake.js';
import { pullLoop } from '../../../src/sources/nats/pull-loop.js';
import { testBus, uniqueMemorySocket } from '../../helpers/bus.js';
import { privateNats } from '../../helpers/private-nats.js';

const EVENTS = 1000;

test('nats source: every published event lands once, typed, across a SIGKILL and restart of the server mid-stream', async (t) => {
  const nats = await privateNats(t);
  if (nats === undefined) return;
  await nats.stream('SRC', ['src.>']);
  const bus = testBus(t);
  const socket = uniqueMemorySocket('nats-source');
  await bus.subscribe(socket, { event: E_CORE_THRESHOLD.name });
  const store = memoryStore(socket.slice('memory:'.length));
  const ctx = { catalogue: bus.catalogue, untyped: new UntypedDefs(), unknown: 'reject' as const, source: 'nats' };
  const intake = new Intake(bus);
  const kit = new BrokerIntake(bus, intake, ctx, { format: 'auto', maxMessageBytes: 65536, dedupIds: 10_000, dedupWindowMs: 600_000 });
  const stop = new AbortController();
  const consumerConnection = await nats.client();
  const loop = pullLoop(consumerConnection, {
    stream: 'SRC', consumer: 'herald', filterSubject: 'src.>', batch: 64, ackWaitMs: 2000, intake: kit, logger: bus.logger,
  }, stop.signal);

  const encode = [brokerBodyEncoder('json'), brokerBodyEncoder('jsonrpc')];
  const publisher = jetstream(await nats.client());
  const publish = async (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const event = createEvent(E_CORE_THRESHOLD, { source: 'src', time: i, extra: `e${i}` }, undefined, 'origin');
      // A publisher retries until the stream acks (the server may be recovering); the msg id makes a retry harmless.
      for (;;) {
        try {
          await publisher.publish('src.events', encode[i % 2](event), { msgID: event.id, timeout: 1000 });
          break;
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  };
  await publish(0, EVENTS / 2);
  while (store.events.length < EVENTS / 4) await new Promise((resolve) => setTimeout(resolve, 5));
  await nats.kill();
  await nats.start();
  await publish(EVENTS / 2, EVENTS);
  while (store.events.length < EVENTS) await new Promise((resolve) => setTimeout(resolve, 10));
  stop.abort();
  await loop;
  await bus.drain();

  const extras = store.events.map((event) => String(event.params.extra));
  assert.equal(extras.length, EVENTS, 'no event twice');
  assert.equal(new Set(extras).size, EVENTS, 'every event');
  // Records carry their sourceId; JSON-RPC bodies have none (OpenSIPS's shape), so the odd ones get the bus's default.
  assert.ok(store.events.every((event) => (Number(String(event.params.extra).slice(1)) % 2 === 0) === (event.sourceId === 'origin')));
  assert.equal(intake.stats.get('rejected'), 0);
});
