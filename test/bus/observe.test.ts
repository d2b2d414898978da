import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryStore } from '../../src/backends/memory/index.js';
import { isEventId } from '../../src/events/event-id.js';
import { nowUs, type HeraldEvent } from '../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { testBus, uniqueMemorySocket } from '../helpers/bus.js';

/*
 * When observers (metrics) are the only takers of a raise, the bus builds the
 * event without reading the clock or making an id: both are made when first
 * read. Read inside the callback, they are the raise's own, as for any event.
 */

const THRESHOLD = { source: 'dns', time: 1500, extra: 'slow' };

test('an event only observers take: id, time and summary read inside the callback are the raise\'s own, and stay put', (t) => {
  const bus = testBus(t);
  const read: Array<{ id: string; timeUs: number; summary: string | undefined; again: string }> = [];
  bus.observe('event=E_CORE_THRESHOLD', (event) => read.push({ id: event.id, timeUs: event.timeUs, summary: event.summary, again: event.id }));
  const before = nowUs();
  bus.raise(E_CORE_THRESHOLD, THRESHOLD);
  bus.raise(E_CORE_THRESHOLD, THRESHOLD);
  const after = nowUs();
  assert.equal(read.length, 2);
  for (const seen of read) {
    assert.ok(isEventId(seen.id), `a UUIDv7: ${seen.id}`);
    assert.equal(seen.again, seen.id, 'read twice, one id');
    assert.ok(seen.timeUs >= before && seen.timeUs <= after, 'the time of the raise');
    assert.equal(seen.summary, 'dns took 1500 µs: slow');
  }
  assert.ok(read[0].id < read[1].id, 'ids still order by raise');
  assert.equal(bus.statistics().events.E_CORE_THRESHOLD.raised, 2, 'counted as raised');
});

test('an observed event keeps a given id and time; with a subscriber too, the observer sees the event the subscriber gets', async (t) => {
  const bus = testBus(t);
  const seen: HeraldEvent[] = [];
  bus.observe('event=E_CORE_THRESHOLD', (event) => seen.push(event));
  bus.raise(E_CORE_THRESHOLD, THRESHOLD, { id: '0190d2a4-0000-7000-8000-000000000001', timeUs: 1_700_000_000_000_000 });
  assert.deepEqual([seen[0].id, seen[0].timeUs], ['0190d2a4-0000-7000-8000-000000000001', 1_700_000_000_000_000]);
  const socket = uniqueMemorySocket('observe');
  await bus.subscribe(socket, { event: 'E_CORE_THRESHOLD' });
  bus.raise(E_CORE_THRESHOLD, THRESHOLD);
  await bus.drain();
  const delivered = memoryStore(socket.slice('memory:'.length)).events;
  assert.equal(delivered.length, 1);
  assert.equal(seen[1].id, delivered[0].id);
  assert.equal(seen[1].timeUs, delivered[0].timeUs);
});
