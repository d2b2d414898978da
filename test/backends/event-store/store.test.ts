import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openEventStore } from '../../../src/backends/event-store/open.js';
import { searchEvents } from '../../../src/backends/event-store/search.js';
import { requireService } from '../../../src/testing/services.js';
import { fileBus, tempDir } from '../helpers.js';
import { Bare, Blocked } from '../network/helpers.js';

interface StoreCase {
  readonly name: string;
  /** The socket for a fresh table, or undefined when the service is missing (skipped). */
  socket(t: TestContext, table: string): Promise<{ socket: string; url: string; dir: string } | undefined>;
}

const CASES: readonly StoreCase[] = [
  {
    name: 'sqlite',
    socket: async (t) => {
      const dir = tempDir(t, 'herald-events-');
      return { socket: `sqlite:${join(dir, 'events.db')}`, url: `sqlite:${join(dir, 'events.db')}`, dir };
    },
  },
  {
    name: 'postgres',
    socket: async (t, table) => {
      if (!(await requireService(t, 'PostgreSQL', '127.0.0.1', 5432))) return undefined;
      const url = 'postgres://postgres@127.0.0.1:5432/test';
      t.after(() => dropTable(url, table));
      return { socket: `${url}?table=${table}`, url, dir: tempDir(t) };
    },
  },
  {
    name: 'mysql',
    socket: async (t, table) => {
      if (!(await requireService(t, 'MariaDB', '127.0.0.1', 3306))) return undefined;
      const url = 'mysql://root@127.0.0.1:3306/test';
      t.after(() => dropTable(url, table));
      return { socket: `${url}?table=${table}`, url, dir: tempDir(t) };
    },
  },
];

async function dropTable(url: string, table: string): Promise<void> {
  const store = await openEventStore(url, table, 'read').catch(() => undefined);
  if (store === undefined) return;
  const quote = url.startsWith('mysql') ? '`' : '"';
  await store.dialect.runAll([[`DROP TABLE IF EXISTS ${quote}${table}${quote}`, []]]);
  await store.close();
}

let tables = 0;

for (const storeCase of CASES) {
  test(`${storeCase.name} event store: every column round-trips, retried batches store nothing twice, search filters like a subscription`, async (t) => {
    const table = `herald_events_t${process.pid}_${++tables}`;
    const where = await storeCase.socket(t, table);
    if (where === undefined) return;
    const bus = fileBus(t, where.dir);
    bus.catalogue.add([Blocked, Bare]);
    await bus.subscribe(where.socket, { filter: 'event=E_TEST_NET_*' });
    const hostile = 'quote " backslash \\ newline \n emoji 😀';
    bus.raise(Blocked, { ip: '192.0.2.1', count: 9_007_199_254_740_993n, note: hostile }, { cause: 'why', snapshot: { a: [1, 'b'] } });
    for (let count = 0; count < 1200; count++) bus.raise(Blocked, { ip: '192.0.2.2', count });
    bus.raise(Bare, {}, { level: 'error', sourceId: 'src/1' });
    await bus.drain();
    assert.equal(bus.subscribers({ socket: where.socket })[0].delivered, 1202);

    const store = await openEventStore(where.url, storeCase.name === 'sqlite' ? 'herald_events' : table, 'read');
    t.after(() => store.close());
    const all = await searchEvents(store, { limit: 5000 });
    assert.equal(all.events.length, 1202);
    assert.equal(all.events[0].type, Bare.name);
    assert.deepEqual([all.events[0].level, all.events[0].sourceId, all.events[0].params], ['error', 'src/1', {}]);
    const first = all.events[all.events.length - 1];
    assert.deepEqual([first.cause, first.snapshot, first.params.note, first.params.ip], ['why', { a: [1, 'b'] }, hostile, '192.0.2.1']);
    assert.equal(first.params.count, 9_007_199_254_740_993n);
    assert.equal(new Set(all.events.map((event) => event.id)).size, 1202);

    // The bus retries whole batches: inserting the same events again must add nothing.
    const again = await store.page({ limit: 10 });
    const writer = await openEventStore(where.url, storeCase.name === 'sqlite' ? 'herald_events' : table, 'write');
    t.after(() => writer.close());
    const { createEvent } = await import('../../../src/events/event.js');
    const replay = again.map((stored) => createEvent(Blocked, { ip: '192.0.2.9', count: 1 }, { id: stored.id, timeUs: stored.timeUs }, 'x'));
    assert.equal((await writer.insert(replay)).status, 'ok');
    assert.equal((await searchEvents(store, { limit: 5000 })).events.length, 1202);

    const some = await searchEvents(store, { filter: 'event=E_TEST_NET_BLOCKED AND count>=1195', limit: 3 });
    assert.deepEqual(some.events.map((event) => event.params.count), [1199, 1198, 1197]);
    const errors = await searchEvents(store, { filter: 'level>=error' });
    assert.deepEqual(errors.events.map((event) => event.type), [Bare.name]);
    const window = await searchEvents(store, { sinceUs: first.timeUs, untilUs: first.timeUs + 1, limit: 10 });
    assert.ok(window.events.some((event) => event.id === first.id));
  });
}

test('sqlite event store: the file must lie under files.roots; keep_days removes old events', async (t) => {
  const dir = tempDir(t, 'herald-events-');
  const other = tempDir(t, 'herald-elsewhere-');
  const bus = fileBus(t, dir);
  bus.catalogue.add([Blocked, Bare]);
  await assert.rejects(bus.subscribe(`sqlite:${join(other, 'x.db')}`, { event: Bare.name }), /outside the allowed roots/);
  await assert.rejects(bus.subscribe(`sqlite:${join(dir, 'x.db')}?table=bad-name`, { event: Bare.name }), /option "table"/);
  const socket = `sqlite:${join(dir, 'old.db')}?keep_days=1`;
  await bus.subscribe(socket, { event: Bare.name });
  bus.raise(Bare, {}, { timeUs: (Date.now() - 3 * 86_400_000) * 1000 });
  bus.raise(Bare, {});
  await bus.drain();
  await bus.unsubscribe(socket);
  // Re-opening runs retention at once.
  await bus.subscribe(socket, { event: Bare.name });
  const store = await openEventStore(`sqlite:${join(dir, 'old.db')}`, 'herald_events', 'read');
  t.after(() => store.close());
  assert.equal((await searchEvents(store, {})).events.length, 1);
});
