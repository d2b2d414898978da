import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { openTraceStore, RETENTION_CHUNK_ROWS } from '../../src/trace/store/index.js';
import { BACKENDS, makeRow, pgExec, POSTGRES, SQLITE, uniqueTable } from './store-suite.js';

const DAY_US = 86_400_000_000;
const NOW_MS = Date.UTC(2026, 10, 22, 12, 0, 0);
const NOW_US = NOW_MS * 1000;

for (const backend of BACKENDS) {
  describe(`retention on ${backend.name}`, () => {
    test('keep_days removes older rows and keeps the rest', async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'herald-retention-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const url = await backend.available(t, dir);
      if (url === undefined) return;
      const table = uniqueTable();
      const store = await openTraceStore(url, { table });
      t.after(async () => {
        await store.close();
        await backend.drop(url, table);
      });
      const ages = [10, 8, 7.5, 1, 0];
      await store.insertBatch(ages.map((age) => makeRow({ callid: `age-${age}`, timeUs: NOW_US - age * DAY_US })));
      const result = await store.applyRetention(7, NOW_MS);
      const left = (await store.search({})).map((row) => row.callid).sort();
      if (backend.name === 'postgres') {
        // Whole days go: the partitions of 2026-11-12 and 2026-11-14 are entirely older than the cutoff (11-15 12:00).
        assert.deepEqual(result.droppedPartitions, [`${table}_p20261112`, `${table}_p20261114`]);
        assert.deepEqual(left, ['age-0', 'age-1', 'age-7.5']);
      } else {
        assert.equal(result.deletedRows, 3);
        assert.deepEqual(left, ['age-0', 'age-1']);
      }
      assert.equal((await store.applyRetention(7, NOW_MS)).deletedRows, 0, 'a second pass finds nothing');
    });
  });
}

test('SQLite retention deletes in chunks', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-retention-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const url = await SQLITE.available(t, dir);
  const store = await openTraceStore(url as string);
  t.after(() => store.close());
  const old = RETENTION_CHUNK_ROWS * 2 + 123;
  await store.insertBatch(Array.from({ length: old }, () => makeRow({ timeUs: NOW_US - 30 * DAY_US })));
  await store.insertBatch([makeRow({ callid: 'recent', timeUs: NOW_US })]);
  assert.equal((await store.applyRetention(7, NOW_MS)).deletedRows, old);
  assert.equal(await store.count(), 1);
});

test('PostgreSQL creates day partitions ahead and for any day a batch needs', async (t) => {
  const url = await POSTGRES.available(t, '');
  if (url === undefined) return;
  const table = uniqueTable();
  const store = await openTraceStore(url, { table });
  t.after(async () => {
    await store.close();
    await POSTGRES.drop(url, table);
  });
  const partitions = async () => (await pgExec(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = '${table}'`,
  ) as Array<{ name: string }>).map((row) => row.name).sort();
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const ahead = await partitions();
  for (const offset of [0, 1, 2, 3]) assert.ok(ahead.includes(`${table}_p${day(offset)}`), `partition for today+${offset}`);
  await store.insertBatch([makeRow({ timeUs: Date.UTC(2001, 0, 1) * 1000, callid: 'old-capture' })]);
  assert.ok((await partitions()).includes(`${table}_p20010101`));
  assert.equal((await store.byCallId('old-capture')).length, 1);
});
