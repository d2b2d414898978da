import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { parseSip } from '../../src/trace/sip/index.js';
import { openTraceStore, type TraceStore } from '../../src/trace/store/index.js';
import { rowsFromSip } from '../../src/trace/store/rows.js';
import { BACKENDS, HOSTILE, makeRow, uniqueTable, type Backend } from './store-suite.js';

/** Opens a fresh store on a unique table; everything is dropped after the test. */
async function freshStore(t: TestContext, backend: Backend): Promise<{ store: TraceStore; url: string; table: string } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const url = await backend.available(t, dir);
  if (url === undefined) return undefined;
  const table = uniqueTable();
  const store = await openTraceStore(url, { table });
  t.after(async () => {
    await store.close();
    await backend.drop(url, table);
  });
  return { store, url, table };
}

/** PostgreSQL text cannot hold U+0000; it is the one documented substitution. */
function expected(backend: Backend, value: string): string {
  return backend.name === 'postgres' ? value.replaceAll('\0', '\uFFFD') : value;
}

for (const backend of BACKENDS) {
  describe(`trace store on ${backend.name}`, () => {
    test('stores hostile Call-IDs, users and attributes verbatim', async (t) => {
      const opened = await freshStore(t, backend);
      if (opened === undefined) return;
      const rows = HOSTILE.map((value) => makeRow({ callid: value, tracedUser: value, traceAttrs: value, msg: `msg ${value}`, fromtag: value }));
      assert.deepEqual(await opened.store.insertBatch(rows), { status: 'ok' });
      for (const value of HOSTILE) {
        const found = await opened.store.byCallId(expected(backend, value));
        assert.equal(found.length, 1, `one row for ${JSON.stringify(value)}`);
        assert.equal(found[0].callid, expected(backend, value));
        assert.equal(found[0].tracedUser, expected(backend, value));
        assert.equal(found[0].traceAttrs, expected(backend, value));
        assert.equal(found[0].fromtag, expected(backend, value));
        assert.equal(found[0].msg, expected(backend, `msg ${value}`));
        const byUser = await opened.store.search({ user: expected(backend, value) });
        assert.deepEqual(byUser.map((r) => r.callid), [expected(backend, value)]);
      }
      assert.equal(await opened.store.count(), HOSTILE.length, 'no row lost, no table dropped');
    });

    test('keeps every field and the time to the microsecond', async (t) => {
      const opened = await freshStore(t, backend);
      if (opened === undefined) return;
      const row = makeRow({ timeUs: Date.UTC(2026, 0, 2, 3, 4, 5) * 1000 + 678_901, status: '486', method: 'INVITE', direction: 'out', captureId: 4_000_000_000, node: 'edge-1', toProto: 'tcp', totag: 'tt' });
      await opened.store.insertBatch([row]);
      const [stored] = await opened.store.byCallId(row.callid);
      const { id, ...rest } = stored;
      assert.ok(id > 0);
      assert.deepEqual(rest, row);
    });

    test('search filters by ip, method, status, time and limit, newest first', async (t) => {
      const opened = await freshStore(t, backend);
      if (opened === undefined) return;
      const t0 = Date.UTC(2026, 10, 22, 10, 0, 0) * 1000;
      const rows = [
        makeRow({ timeUs: t0, callid: 'c1', fromIp: '192.0.2.1', method: 'INVITE' }),
        makeRow({ timeUs: t0 + 1e6, callid: 'c1', toIp: '192.0.2.1', fromIp: '10.0.0.2', method: 'INVITE', status: '486' }),
        makeRow({ timeUs: t0 + 2e6, callid: 'c2', method: 'REGISTER', status: '401' }),
        makeRow({ timeUs: t0 + 3e6, callid: 'c3', method: 'OPTIONS', status: '200' }),
      ];
      await opened.store.insertBatch(rows);
      const ids = async (query: Parameters<TraceStore['search']>[0]) => (await opened.store.search(query)).map((r) => `${r.callid}/${r.status}`);
      assert.deepEqual(await ids({ ip: '192.0.2.1' }), ['c1/486', 'c1/']);
      assert.deepEqual(await ids({ method: 'register' }), ['c2/401']);
      assert.deepEqual(await ids({ status: '4xx' }), ['c2/401', 'c1/486']);
      assert.deepEqual(await ids({ status: '200' }), ['c3/200']);
      assert.deepEqual(await ids({ sinceUs: t0 + 1e6, untilUs: t0 + 3e6 }), ['c2/401', 'c1/486']);
      assert.deepEqual(await ids({ limit: 1 }), ['c3/200']);
      await assert.rejects(opened.store.search({ status: '4' }), { code: 'HERALD_ERR_INVALID_PARAMS' });
      await assert.rejects(opened.store.search({ limit: 0 }), { code: 'HERALD_ERR_INVALID_PARAMS' });
    });

    // Issue 12, point 11: values over 255 characters were cut in the column but
    // not in the search, so `trace search --callid` and `trace show` found nothing.
    test('long Call-IDs and users are found by the value that stored them', async (t) => {
      const opened = await freshStore(t, backend);
      if (opened === undefined) return;
      // A four-byte character straddles the cut: it is kept whole or not at all.
      const callid = `${'c'.repeat(254)}𝄞${'x'.repeat(100)}@host`;
      const user = `${'u'.repeat(300)}`;
      const sip = `INVITE sip:${user}@example.com SIP/2.0\r\nVia: SIP/2.0/UDP 10.0.0.1;branch=z9hG4bK1\r\nFrom: <sip:${user}@example.com>;tag=f1\r\n`
        + `To: <sip:${user}@example.com>\r\nCall-ID: ${callid}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n`;
      const parsed = parseSip(Buffer.from(sip));
      assert.ok(parsed.ok);
      const rows = rowsFromSip(parsed.message, sip, {
        timeUs: Date.UTC(2026, 10, 22, 5) * 1000, direction: '', fromProto: 'udp', fromIp: '10.0.0.1', fromPort: 5060,
        toProto: 'udp', toIp: '10.0.0.2', toPort: 5060, captureId: 1, node: '', users: [user], attrs: null,
      });
      assert.deepEqual(await opened.store.insertBatch(rows), { status: 'ok' });
      const [stored] = await opened.store.byCallId(callid);
      assert.ok(stored !== undefined, 'trace show finds the call by its full Call-ID');
      assert.equal([...stored.callid].length, 255);
      assert.ok(callid.startsWith(stored.callid) && !stored.callid.endsWith('\ud834'), 'cut on a character boundary');
      assert.equal(stored.msg, sip, 'the message keeps the whole value');
      const found = async (query: Parameters<TraceStore['search']>[0]) => (await opened.store.search(query)).length;
      assert.equal(await found({ callid }), 1, 'search --callid');
      assert.equal(await found({ user }), 1, 'search --user');
      assert.equal(await found({ fromUser: user }), 1, 'search --from-user');
      assert.equal(await found({ toUser: user }), 1, 'search --to-user');
    });

    // Issue 12, point 18: `--user` only compared traced_user, which collectors never fill.
    test('--user matches the traced, From, To and Request-URI users; --from-user and --to-user one each', async (t) => {
      const opened = await freshStore(t, backend);
      if (opened === undefined) return;
      await opened.store.insertBatch([
        makeRow({ callid: 'traced', tracedUser: 'carol', fromUser: 'x', toUser: 'y', ruriUser: 'y' }),
        makeRow({ callid: 'from', fromUser: 'carol', toUser: 'dave', ruriUser: 'dave' }),
        makeRow({ callid: 'to', fromUser: 'dave', toUser: 'carol', ruriUser: 'dave' }),
        makeRow({ callid: 'ruri', fromUser: 'dave', toUser: 'dave', ruriUser: 'carol' }),
        makeRow({ callid: 'none', fromUser: 'dave', toUser: 'dave', ruriUser: 'dave' }),
      ]);
      const callids = async (query: Parameters<TraceStore['search']>[0]) => (await opened.store.search(query)).map((r) => r.callid).sort();
      assert.deepEqual(await callids({ user: 'carol' }), ['from', 'ruri', 'to', 'traced']);
      assert.deepEqual(await callids({ fromUser: 'carol' }), ['from']);
      assert.deepEqual(await callids({ toUser: 'carol' }), ['to']);
      assert.deepEqual(await callids({ fromUser: 'dave', toUser: 'carol' }), ['to']);
      const [row] = await opened.store.byCallId('ruri');
      assert.deepEqual([row.fromUser, row.toUser, row.ruriUser], ['dave', 'dave', 'carol']);
    });

    test('opening again keeps the rows and the schema', async (t) => {
      const opened = await freshStore(t, backend);
      if (opened === undefined) return;
      await opened.store.insertBatch([makeRow({ callid: 'kept' })]);
      const again = await openTraceStore(opened.url, { table: opened.table });
      try {
        assert.equal((await again.byCallId('kept')).length, 1);
        assert.deepEqual(await again.insertBatch([makeRow({ callid: 'kept' })]), { status: 'ok' });
        assert.equal((await again.byCallId('kept')).length, 2);
      } finally {
        await again.close();
      }
    });

    test('a large batch is written whole', async (t) => {
      const opened = await freshStore(t, backend);
      if (opened === undefined) return;
      const rows = Array.from({ length: 2_345 }, (_, i) => makeRow({ callid: `bulk-${i % 50}` }));
      assert.deepEqual(await opened.store.insertBatch(rows), { status: 'ok' });
      assert.equal(await opened.store.count(), 2_345);
      assert.equal((await opened.store.byCallId('bulk-7')).length, Math.ceil((2_345 - 7) / 50));
    });
  });
}

test('table names are checked before they reach SQL', async () => {
  for (const table of ['sip trace', 'x;DROP', '1abc', '"quoted"', 'a'.repeat(49), '']) {
    await assert.rejects(openTraceStore('sqlite:/nonexistent/x.db', { table }), { code: 'HERALD_ERR_CONFIG' }, table);
  }
  await assert.rejects(openTraceStore('redis://localhost'), { code: 'HERALD_ERR_CONFIG' });
});

test('read mode does not create a store', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'herald-store-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await assert.rejects(openTraceStore(`sqlite:${join(dir, 'none.db')}`, { mode: 'read' }), { code: 'HERALD_ERR_NOT_FOUND' });
  const writer = await openTraceStore(`sqlite:${join(dir, 'trace.db')}`);
  await writer.insertBatch([makeRow({ callid: 'r' })]);
  const reader = await openTraceStore(`sqlite:${join(dir, 'trace.db')}`, { mode: 'read' });
  assert.equal((await reader.byCallId('r')).length, 1, 'a reader sees committed rows while the writer is open');
  await reader.close();
  await writer.close();
});
