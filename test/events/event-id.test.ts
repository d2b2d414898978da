import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { defineEvent } from '../../src/events/define.js';
import { createEvent } from '../../src/events/event.js';
import { eventIdTimeMs, isEventId, newEventId } from '../../src/events/event-id.js';
import { param } from '../../src/events/params.js';
import { JsonLineSerializer } from '../../src/events/serialize-json.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

const Ping = defineEvent({
  name: 'E_TEST_ID_PING', pack: 'test', category: 'test', level: 'info', description: 'A ping.', params: { n: param.int('n') },
});

test('ids are UUIDv7 carrying the raise time in their first 48 bits', () => {
  const ms = Date.UTC(2026, 11, 5, 12, 0, 0, 123) + 10_000_000;
  const id = newEventId(ms);
  assert.ok(isEventId(id), id);
  assert.equal(id[14], '7');
  assert.match(id[19], /[89ab]/);
  assert.equal(eventIdTimeMs(id), ms);
});

test('ids sort in the order they were made, within one millisecond, past the 12-bit counter and when the clock steps back', () => {
  const ms = Date.now() + 20_000_000;
  const ids: string[] = [];
  for (let i = 0; i < 10_000; i++) ids.push(newEventId(ms));
  ids.push(newEventId(ms - 5000));
  ids.push(newEventId(ms + 1));
  assert.deepEqual([...ids].sort(), ids);
  assert.equal(new Set(ids).size, ids.length);
  assert.ok(ids.every(isEventId));
});

test('every raised event gets its own id; a supplied id is kept', async (t) => {
  const bus = testBus(t);
  bus.catalogue.add([Ping]);
  const socket = uniqueMemorySocket('ids');
  await bus.subscribe(socket, { event: Ping.name });
  for (let n = 0; n < 100; n++) bus.raise(Ping, { n });
  bus.raise(Ping, { n: 100 }, { id: '01900000-0000-7000-8000-000000000001' });
  const store = memoryStore(socket.slice('memory:'.length));
  await store.waitFor(101);
  const ids = store.events.map((event) => event.id);
  assert.equal(new Set(ids).size, 101);
  assert.ok(ids.slice(0, 100).every(isEventId));
  assert.equal(ids[100], '01900000-0000-7000-8000-000000000001');
});

test('the JSON record carries the id first only when asked', () => {
  const event = createEvent(Ping, { n: 1 }, { timeUs: 1_700_000_000_000_000 }, 'h');
  const plain = JSON.parse(new JsonLineSerializer('utc').record(event)) as Record<string, unknown>;
  assert.equal(plain.id, undefined);
  const withId = JSON.parse(new JsonLineSerializer('utc', { id: true }).record(event)) as Record<string, unknown>;
  assert.equal(Object.keys(withId)[0], 'id');
  assert.equal(withId.id, event.id);
  assert.deepEqual({ ...withId, id: undefined }, { ...plain, id: undefined });
});
