import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { E_CORE_LOG } from '../../src/events/packs/core.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

const LOG = { time: 't', pid: 1, level: 'INFO', module: 'm', function: 'f', prefix: '', message: 'hello' } as const;

function fakeClock(startMs = 1_700_000_000_000) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => { now += ms; } };
}

test('a subscriber with an expiry shows expire and a TTL that counts down', async (t) => {
  const clock = fakeClock();
  const bus = testBus(t, { now: clock.now });
  const socket = uniqueMemorySocket('ttl');
  await bus.subscribe(socket, { event: 'E_CORE_LOG', expire: 60 });
  assert.deepEqual(bus.subscribers().map((s) => [s.socket, s.expire, s.ttl]), [[socket, 60, 60]]);
  clock.advance(15_000);
  assert.equal(bus.subscribers()[0].ttl, 45);
});

test('no expiry means forever', async (t) => {
  const clock = fakeClock();
  const bus = testBus(t, { now: clock.now });
  await bus.subscribe(uniqueMemorySocket('forever'), { event: 'E_CORE_LOG' });
  clock.advance(10 * 365 * 86_400_000);
  const [sub] = bus.subscribers();
  assert.equal(sub.expire, 'never');
  assert.equal(sub.ttl, 'never');
});

test('subscribing again refreshes: time resets and the new expiry replaces the old', async (t) => {
  const clock = fakeClock();
  const bus = testBus(t, { now: clock.now });
  const socket = uniqueMemorySocket('refresh');
  const first = await bus.subscribe(socket, { event: 'E_CORE_LOG', expire: 60 });
  clock.advance(50_000);
  const second = await bus.subscribe(socket, { event: 'E_CORE_LOG', expire: 30 });
  assert.equal(first.action, 'subscribed');
  assert.equal(second.action, 'refreshed');
  const list = bus.subscribers();
  assert.equal(list.length, 1, 'refresh must not add a second subscriber');
  assert.equal(list[0].expire, 30);
  assert.equal(list[0].ttl, 30);
  clock.advance(20_000);
  assert.equal(bus.subscribers()[0].ttl, 10, 'the old 60 s expiry would have left 0 s here');
});

test('expire 0 unsubscribes', async (t) => {
  const bus = testBus(t);
  const socket = uniqueMemorySocket('zero');
  await bus.subscribe(socket, { event: 'E_CORE_LOG', expire: 60 });
  const result = await bus.subscribe(socket, { event: 'E_CORE_LOG', expire: 0 });
  assert.deepEqual(result, { action: 'unsubscribed', removed: 1 });
  assert.equal(bus.subscribers().length, 0);
  assert.equal(bus.enabled(E_CORE_LOG), false);
});

test('expired subscribers are purged on listing', async (t) => {
  const clock = fakeClock();
  const bus = testBus(t, { now: clock.now });
  await bus.subscribe(uniqueMemorySocket('short'), { event: 'E_CORE_LOG', expire: 5 });
  await bus.subscribe(uniqueMemorySocket('long'), { event: 'E_CORE_LOG', expire: 500 });
  clock.advance(6_000);
  assert.deepEqual(bus.subscribers().map((s) => s.expire), [500]);
});

test('expired subscribers are purged on raise and receive nothing more', async (t) => {
  const clock = fakeClock();
  const bus = testBus(t, { now: clock.now });
  const socket = uniqueMemorySocket('purge-on-raise');
  await bus.subscribe(socket, { event: 'E_CORE_LOG', expire: 5 });
  // Held before expiry: the purge frees the name, not a store someone still reads.
  const store = memoryStore(socket.slice('memory:'.length));
  bus.raise(E_CORE_LOG, LOG);
  await bus.drain();
  clock.advance(5_001);
  bus.raise(E_CORE_LOG, { ...LOG, message: 'after expiry' });
  await bus.drain();
  assert.deepEqual(store.events.map((e) => e.params.message), ['hello']);
  assert.equal(bus.enabled(E_CORE_LOG), false, 'the purge must also cool the fast path');
});

test('listing filters by event and socket', async (t) => {
  const bus = testBus(t);
  const a = uniqueMemorySocket('a');
  const b = uniqueMemorySocket('b');
  await bus.subscribe(a, { event: 'E_CORE_LOG' });
  await bus.subscribe(a, { event: 'E_CORE_THRESHOLD' });
  await bus.subscribe(b, { event: 'E_CORE_LOG' });
  assert.equal(bus.subscribers({ socket: a }).length, 2);
  assert.deepEqual(bus.subscribers({ event: 'E_CORE_LOG' }).map((s) => s.socket).sort(), [a, b].sort());
});

test('unknown events, bad sockets, unknown transports and both targets are refused', async (t) => {
  const bus = testBus(t);
  await assert.rejects(bus.subscribe('memory:x', { event: 'E_NOPE' }), /Unknown event "E_NOPE"/);
  await assert.rejects(bus.subscribe('nocolon', { event: 'E_CORE_LOG' }), /transport:address/);
  await assert.rejects(bus.subscribe('carrier-pigeon:x', { event: 'E_CORE_LOG' }), /Unknown transport "carrier-pigeon" \(known: .*memory/);
  await assert.rejects(bus.subscribe('memory:x', { event: 'E_CORE_LOG', filter: 'level>=info' }), /exactly one/);
  await assert.rejects(bus.subscribe('memory:x', { event: 'E_CORE_LOG', expire: -1 }), /non-negative integer/);
  await assert.rejects(bus.subscribe('memory:x', { filter: 'level>=' }), /Bad filter/);
  assert.equal(bus.subscribers().length, 0);
});
