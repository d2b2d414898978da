import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { openEventStore } from '../../../src/backends/event-store/open.js';
import { searchEvents } from '../../../src/backends/event-store/search.js';
import type { SqlEventStore } from '../../../src/backends/event-store/sql-event-store.js';
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

test('sqlite event store: the file must lie under files.roots', async (t) => {
  const dir = tempDir(t, 'herald-events-');
  const other = tempDir(t, 'herald-elsewhere-');
  const bus = fileBus(t, dir);
  bus.catalogue.add([Blocked, Bare]);
  await assert.rejects(bus.subscribe(`sqlite:${join(other, 'x.db')}`, { event: Bare.name }), /outside the allowed roots/);
  await assert.rejects(bus.subscribe(`sqlite:${join(dir, 'x.db')}?table=bad-name`, { event: Bare.name }), /option "table"/);
});

const DAY_MS = 86_400_000;

/** The days (YYYYMMDD) of `table`'s partitions. */
async function partitionDays(store: SqlEventStore, table: string): Promise<string[]> {
  const rows = await store.dialect.all<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
     WHERE p.relname = $1 ORDER BY 1`, [table]);
  return rows.map((row) => row.name.slice(table.length + 2));
}

const yyyymmdd = (ms: number) => new Date(ms).toISOString().slice(0, 10).replaceAll('-', '');

for (const storeCase of CASES) {
  test(`${storeCase.name} event store: keep_days removes older events when the store opens${storeCase.name === 'postgres' ? ' by dropping day partitions' : ''}`, async (t) => {
    const table = `herald_events_t${process.pid}_${++tables}`;
    const where = await storeCase.socket(t, table);
    if (where === undefined) return;
    const bus = fileBus(t, where.dir);
    bus.catalogue.add([Bare]);
    const socket = `${where.socket}${where.socket.includes('?') ? '&' : '?'}keep_days=2`;
    await bus.subscribe(socket, { event: Bare.name });
    const nowMs = Date.now();
    for (const ageDays of [5, 4, 0]) bus.raise(Bare, { }, { timeUs: (nowMs - ageDays * DAY_MS) * 1000, sourceId: `age-${ageDays}` });
    await bus.drain();
    assert.equal(bus.subscribers({ socket })[0].delivered, 3);
    const store = await openEventStore(where.url, storeCase.name === 'sqlite' ? 'herald_events' : table, 'read');
    t.after(() => store.close());
    if (storeCase.name === 'postgres') {
      const kind = await store.dialect.all<{ relkind: string }>('SELECT relkind FROM pg_class WHERE relname = $1', [table]);
      assert.equal(kind[0].relkind, 'p', 'a new table is partitioned');
      const days = await partitionDays(store, table);
      for (const ageDays of [5, 4, 0, -3]) assert.ok(days.includes(yyyymmdd(nowMs - ageDays * DAY_MS)), `partition ${ageDays} days ago in ${days.join(',')}`);
    }
    await bus.unsubscribe(socket);
    await bus.subscribe(socket, { event: Bare.name }); // opening runs retention at once
    assert.deepEqual((await searchEvents(store, {})).events.map((event) => event.sourceId), ['age-0']);
    if (storeCase.name === 'postgres') {
      const days = await partitionDays(store, table);
      assert.ok(days.every((day) => day >= yyyymmdd(nowMs - 2 * DAY_MS)), `no partition wholly older than 2 days: ${days.join(',')}`);
    }
  });
}

// Issue 13: an event table an older Herald made on PostgreSQL is plain (primary key id): it stays plain, inserts stay
// idempotent and keep_days deletes rows there.
test('postgres event store: a plain table from an older Herald keeps working, retention by DELETE', async (t) => {
  const table = `herald_events_t${process.pid}_${++tables}`;
  const where = await CASES[1].socket(t, table);
  if (where === undefined) return;
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: where.url });
  await client.connect();
  await client.query(`CREATE TABLE "${table}" (id text PRIMARY KEY, time timestamptz NOT NULL, time_us bigint NOT NULL, level text NOT NULL,
    category text NOT NULL, type text NOT NULL, source_id text NOT NULL, summary text, cause text, snapshot jsonb, params jsonb NOT NULL)`);
  await client.end();
  const writer = await openEventStore(where.url, table, 'write');
  t.after(() => writer.close());
  const { createEvent } = await import('../../../src/events/event.js');
  const nowMs = Date.now();
  const events = [createEvent(Bare, {}, { timeUs: (nowMs - 5 * DAY_MS) * 1000 }, 'old'), createEvent(Bare, {}, { timeUs: nowMs * 1000 }, 'new')];
  for (let i = 0; i < 2; i++) assert.equal((await writer.insert(events)).status, 'ok');
  assert.equal((await writer.page({ limit: 10 })).length, 2, 'a batch inserted twice is stored once');
  assert.deepEqual(await writer.purgeBefore((nowMs - 2 * DAY_MS) * 1000), { deletedRows: 1, droppedPartitions: [] });
  assert.deepEqual((await writer.page({ limit: 10 })).map((event) => event.sourceId), ['new']);
});

test('postgres event store: a table name too long for its day partitions is refused by name', async (t) => {
  const bus = fileBus(t, tempDir(t, 'herald-events-'));
  await assert.rejects(bus.subscribe(`postgres://postgres@127.0.0.1:5432/test?table=${'x'.repeat(54)}`, { event: 'E_CORE_THRESHOLD' }), /option "table" is 54 characters; PostgreSQL takes at most 53/);
});
