/*
 * Issue 12, point 19: a fresh `sip_trace` table lacked Kamailio's fromip/toip
 * (only a migrated Kamailio table had them), so Kamailio's own writes and
 * queries failed on a table Herald created. A fresh table must hold every
 * column of Kamailio's (version 4) and OpenSIPS's (version 5) tables, so the
 * statements those projects run work unchanged, and rows either side wrote
 * are read by the other.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { openTraceStore, type TraceStore } from '../../src/trace/store/index.js';
import { BACKENDS, makeRow, uniqueTable, type Backend } from './store-suite.js';

/** Now, to the second, as the SIP servers write time_stamp (PostgreSQL partitions cover today onwards). */
function nowStamp(): string {
  const iso = new Date().toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}`;
}

/** What Kamailio's siptrace module inserts (siptrace_db.c: its column list, one row per message). */
function kamailioInsert(table: string, stamp: string): string {
  return `INSERT INTO ${table} (msg, callid, method, status, fromip, toip, fromtag, totag, direction, time_stamp, time_us, traced_user)
    VALUES ('OPTIONS sip:kam@example.com SIP/2.0', 'kam-call', 'OPTIONS', '', 'udp:192.0.2.10:5060', 'udp:192.0.2.20:5060',
      'kt', '', 'out', '${stamp}', 123456, 'kamuser')`;
}

/** What OpenSIPS's tracer inserts (tracer.c: its column list; requests carry no status). */
function opensipsInsert(table: string, stamp: string): string {
  return `INSERT INTO ${table} (msg, callid, method, status, from_proto, from_ip, from_port, to_proto, to_ip, to_port, fromtag, direction, time_stamp, trace_attrs)
    VALUES ('MESSAGE sip:osips@example.com SIP/2.0', 'osips-call', 'MESSAGE', NULL, 'tcp', '198.51.100.1', 5062, 'tcp',
      '198.51.100.2', 5060, 'ot', 'in', '${stamp}', 'attr-1')`;
}

async function freshTable(t: TestContext, backend: Backend): Promise<{ store: TraceStore; url: string; table: string } | undefined> {
  const dir = await mkdtemp(join(tmpdir(), 'herald-compat-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  const url = await backend.available(t, dir);
  if (url === undefined) return undefined;
  const table = uniqueTable('compat');
  const store = await openTraceStore(url, { table });
  t.after(async () => {
    await store.close();
    await backend.drop(url, table);
  });
  return { store, url, table };
}

/** The first column of every index on `table`. */
async function leadingIndexColumns(backend: Backend, url: string, table: string): Promise<Set<string>> {
  const sql = {
    sqlite: `SELECT ii.name AS col FROM pragma_index_list('${table}') AS il, pragma_index_info(il.name) AS ii WHERE ii.seqno = 0`,
    // A partitioned table's indexes: attnum of the first key column.
    postgres: `SELECT a.attname AS col FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = i.indkey[0] WHERE c.relname = '${table}'`,
    mysql: `SELECT column_name AS col FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = '${table}' AND seq_in_index = 1`,
  }[backend.name];
  return new Set((await backend.rows(url, sql)).map((row) => String(row.col)));
}

for (const backend of BACKENDS) {
  describe(`a fresh table on ${backend.name}`, () => {
    test('has an index led by every column a search compares', async (t) => {
      const fresh = await freshTable(t, backend);
      if (fresh === undefined) return;
      const leading = await leadingIndexColumns(backend, fresh.url, fresh.table);
      for (const column of ['callid', 'traced_user', 'from_user', 'to_user', 'ruri_user', 'from_ip', 'to_ip', 'time_stamp']) {
        assert.ok(leading.has(column), `an index starts with ${column} (have ${[...leading].join(', ')})`);
      }
    });

    test("takes Kamailio's writes and answers its queries", async (t) => {
      const fresh = await freshTable(t, backend);
      if (fresh === undefined) return;
      const { store, url, table } = fresh;
      await backend.exec(url, kamailioInsert(table, nowStamp()));
      await store.insertBatch([makeRow({ callid: 'herald-call', fromProto: 'udp', fromIp: '192.0.2.10', fromPort: 5060, toProto: 'tcp', toIp: '192.0.2.30', toPort: 5080 })]);

      // Kamailio's indexed lookups: fromip, traced_user, callid, time_stamp.
      const byFromip = await backend.rows(url, `SELECT callid, toip FROM ${table} WHERE fromip = 'udp:192.0.2.10:5060' ORDER BY time_stamp, callid`);
      assert.deepEqual(byFromip.map((row) => [row.callid, row.toip]).sort(), [['herald-call', 'tcp:192.0.2.30:5080'], ['kam-call', 'udp:192.0.2.20:5060']]);
      const byUser = await backend.rows(url, `SELECT id, time_stamp, time_us, callid, msg, method, status, fromip, toip, fromtag, totag, direction FROM ${table} WHERE traced_user = 'kamuser'`);
      assert.equal(byUser.length, 1);
      assert.equal(Number(byUser[0].time_us), 123456);
      const recent = await backend.rows(url, `SELECT count(*) AS n FROM ${table} WHERE time_stamp > '2000-01-01 00:00:00' AND callid = 'kam-call'`);
      assert.equal(Number(recent[0].n), 1);

      // And Herald reads what Kamailio wrote.
      const [kam] = await store.byCallId('kam-call');
      assert.equal(kam.tracedUser, 'kamuser');
      assert.equal((await store.search({ user: 'kamuser' })).length, 1);
    });

    test("takes OpenSIPS's writes and answers its queries", async (t) => {
      const fresh = await freshTable(t, backend);
      if (fresh === undefined) return;
      const { store, url, table } = fresh;
      await backend.exec(url, opensipsInsert(table, nowStamp()));
      await store.insertBatch([makeRow({ callid: 'herald-call', traceAttrs: 'attr-1', fromIp: '198.51.100.1' })]);

      // OpenSIPS's indexed lookups: trace_attrs, from_ip, callid, time_stamp.
      const byAttrs = await backend.rows(url, `SELECT callid FROM ${table} WHERE trace_attrs = 'attr-1' ORDER BY callid`);
      assert.deepEqual(byAttrs.map((row) => row.callid), ['herald-call', 'osips-call']);
      const byIp = await backend.rows(url, `SELECT id, time_stamp, callid, trace_attrs, msg, method, status, from_proto, from_ip, from_port, to_proto, to_ip, to_port, fromtag, direction
        FROM ${table} WHERE from_ip = '198.51.100.1' AND callid = 'osips-call'`);
      assert.equal(byIp.length, 1);
      assert.equal(Number(byIp[0].from_port), 5062);

      const [osips] = await store.byCallId('osips-call');
      assert.deepEqual([osips.fromProto, osips.toIp, osips.status, osips.traceAttrs], ['tcp', '198.51.100.2', '', 'attr-1']);
      assert.equal((await store.search({ ip: '198.51.100.2' })).length, 1);
    });
  });
}
