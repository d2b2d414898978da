import assert from 'node:assert/strict';
import { join } from 'node:path';
import test from 'node:test';
import { openEventStore } from '../../src/backends/event-store/open.js';
import { createEvent } from '../../src/events/event.js';
import { E_CORE_THRESHOLD } from '../../src/events/packs/core.js';
import { RPC_ERROR } from '../../src/runtime/mi/rpc-error.js';
import { startTestDaemon } from './helpers.js';

test('events_search reads the daemon\'s event store by filter and time range, newest first', async (t) => {
  const d = await startTestDaemon(t);
  assert.deepEqual(await d.result('events_search'), { events: [], scanned: 0, truncated: false }, 'no store yet: nothing, not an error');
  const store = await openEventStore(`sqlite:${join(d.daemon.runtime.dataDir, 'events.db')}`, 'herald_events', 'write');
  t.after(() => store.close());
  const nowUs = Date.now() * 1000;
  const events = [1, 2, 3].map((time) => createEvent(E_CORE_THRESHOLD, { source: time === 2 ? 'dns' : 'tcp ops', time, extra: '' }, { timeUs: nowUs - (4 - time) * 1000 }, 'herald'));
  const old = createEvent(E_CORE_THRESHOLD, { source: 'dns', time: 9, extra: '' }, { timeUs: nowUs - 3 * 3600e6 }, 'herald');
  assert.equal((await store.insert([...events, old])).status, 'ok');
  const found = await d.result<{ events: Array<{ id: string; params: { time: number } }> }>('events_search', { filter: 'event=E_CORE_THRESHOLD AND source=dns', since: '1h' });
  assert.deepEqual(found.events.map((event) => [event.id, event.params.time]), [[events[1].id, 2]]);
  const newest = await d.result<{ events: Array<{ params: { time: number } }> }>('events_search', { limit: 2 });
  assert.deepEqual(newest.events.map((event) => event.params.time), [3, 2]);
  assert.equal((await d.call('events_search', { filter: 'level>>x' })).error?.code, RPC_ERROR.BAD_VALUE);
  assert.equal((await d.call('events_search', { since: 'yesterday-ish' })).error?.code, RPC_ERROR.INVALID_PARAMS);
});

test('event_subscribe delivery=at-least-once gives the subscriber a disk spool; another mode is refused by name', async (t) => {
  const d = await startTestDaemon(t);
  const socket = `jsonl:${join(d.root, 'spooled.log')}`;
  const reply = await d.call('event_subscribe', { socket, event: 'E_CORE_LOG', delivery: 'at-least-once' });
  assert.equal(reply.error, undefined, reply.error?.message);
  const [info] = d.daemon.runtime.bus.subscribers({ socket });
  assert.equal(info.mode, 'at-least-once');
  assert.equal(info.spoolBytes, 0);
  const bad = await d.call('event_subscribe', { socket, event: 'E_CORE_TCP_DISCONNECT', delivery: 'exactly-once' });
  assert.match(bad.error?.message ?? '', /"delivery" must be at-most-once or at-least-once/);
});
