import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openEventStore } from '../../../src/backends/event-store/open.js';
import { E_CORE_THRESHOLD } from '../../../src/events/packs/core.js';
import { tempDir } from '../helpers.js';
import { testBus } from '../../helpers/bus.js';
import { privatePostgres } from './private-postgres.js';

const turn = () => new Promise((resolve) => setImmediate(resolve));

test('postgres outage: at-least-once keeps raising through a killed server and a Herald restart; every event stored exactly once', async (t) => {
  const pg = await privatePostgres(t);
  if (pg === undefined) return;
  const dir = tempDir(t, 'herald-outage-');
  const options = { dataDir: dir, fileRoots: [dir], delivery: { retryBaseMs: 20, retryMaxMs: 200 } };
  const subscribe = { event: E_CORE_THRESHOLD.name, delivery: 'at-least-once' as const };
  let sent = 0;
  const raiseSome = async (bus: ReturnType<typeof testBus>, count: number) => {
    for (let i = 0; i < count; i++) {
      bus.raise(E_CORE_THRESHOLD, { source: 'outage', time: sent, extra: `e${sent}` });
      sent++;
      if (i % 20 === 0) await turn();
    }
  };

  const first = testBus(t, options);
  await first.subscribe(pg.url, subscribe);
  await raiseSome(first, 200);
  pg.kill();
  await raiseSome(first, 200);
  while ((first.subscribers()[0]?.retries ?? 0) < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  // Herald stops while the database is down: what was not stored stays in the spool.
  await first.close({ deadlineMs: 100 });

  pg.start();
  const second = testBus(t, options);
  await second.subscribe(pg.url, subscribe);
  await raiseSome(second, 200);
  await second.drain();

  const store = await openEventStore(pg.url, 'herald_events', 'read');
  t.after(() => store.close());
  const rows = await store.dialect.all<{ extra: string; n: string }>(
    "SELECT params->>'extra' AS extra, count(*) AS n FROM herald_events GROUP BY 1", [],
  );
  assert.equal(rows.length, 600, `stored ${rows.length} distinct events of 600`);
  assert.ok(rows.every((row) => Number(row.n) === 1), 'an event stored twice');
  assert.deepEqual(new Set(rows.map((row) => row.extra)), new Set(Array.from({ length: 600 }, (_, i) => `e${i}`)));
  assert.equal(second.subscribers()[0].dropped, 0);
});
