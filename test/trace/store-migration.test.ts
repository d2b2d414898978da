import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { DATA_COLUMNS, openTraceStore, SCHEMA_VERSION } from '../../src/trace/store/index.js';
import { makeRow, MYSQL, mysqlExec, pgExec, POSTGRES, SQLITE, uniqueTable, type Backend } from './store-suite.js';

/** Kamailio's version 4 table (utils/kamctl/*\/siptrace-create.sql), per dialect. */
function kamailioV4(backend: Backend, table: string): string {
  const auto = { sqlite: 'INTEGER PRIMARY KEY NOT NULL', postgres: 'SERIAL PRIMARY KEY NOT NULL', mysql: 'INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL' }[backend.name];
  const msg = backend.name === 'mysql' ? 'MEDIUMTEXT' : 'TEXT';
  const stamp = backend.name === 'postgres' ? 'TIMESTAMP WITHOUT TIME ZONE' : 'DATETIME';
  return `CREATE TABLE ${table} (id ${auto}, time_stamp ${stamp} DEFAULT '2000-01-01 00:00:01' NOT NULL,
    time_us INTEGER DEFAULT 0 NOT NULL, callid VARCHAR(255) DEFAULT '' NOT NULL, traced_user VARCHAR(255) DEFAULT '' NOT NULL,
    msg ${msg} NOT NULL, method VARCHAR(50) DEFAULT '' NOT NULL, status VARCHAR(255) DEFAULT '' NOT NULL,
    fromip VARCHAR(64) DEFAULT '' NOT NULL, toip VARCHAR(64) DEFAULT '' NOT NULL, fromtag VARCHAR(128) DEFAULT '' NOT NULL,
    totag VARCHAR(128) DEFAULT '' NOT NULL, direction VARCHAR(4) DEFAULT '' NOT NULL);
  CREATE INDEX ${table}_callid_idx ON ${table} (callid);
  INSERT INTO ${table} (time_stamp, time_us, callid, traced_user, msg, method, status, fromip, toip, fromtag, totag, direction)
    VALUES ('2026-11-20 08:00:00', 5, 'legacy-call', 'alice', 'OPTIONS sip:x SIP/2.0', 'OPTIONS', '', 'udp:10.1.1.1:5060', 'udp:10.1.1.2:5060', 'lt', '', 'in');`;
}

/** The seed's own OpenSER table (../shared/seeds/openser-siptrace.txt, Example 1-8). */
function openserTable(table: string): string {
  return `CREATE TABLE \`${table}\` (
    \`id\` bigint(20) NOT NULL auto_increment, \`date\` datetime NOT NULL default '0000-00-00 00:00:00',
    \`callid\` varchar(254) NOT NULL default '', \`traced_user\` varchar(128) NOT NULL default '', \`msg\` text NOT NULL,
    \`method\` varchar(50) NOT NULL default '', \`status\` varchar(254) NOT NULL default '', \`fromip\` varchar(50) NOT NULL default '',
    \`toip\` varchar(50) NOT NULL default '', \`fromtag\` varchar(64) NOT NULL default '', \`direction\` varchar(4) NOT NULL default '',
    PRIMARY KEY (\`id\`), INDEX user_idx (traced_user), INDEX date_id (date), INDEX ip_idx (fromip), KEY \`call_id\` (\`callid\`));`;
}

async function columnsOf(backend: Backend, url: string, table: string): Promise<string[]> {
  if (backend.name === 'sqlite') {
    const db = new Database(url.slice('sqlite:'.length));
    try {
      return (db.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((r) => r.name);
    } finally {
      db.close();
    }
  }
  if (backend.name === 'postgres') {
    return (await pgExec(`SELECT column_name AS name FROM information_schema.columns WHERE table_name = '${table}'`) as Array<{ name: string }>).map((r) => r.name);
  }
  return (await mysqlExec(`SELECT column_name AS name FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = '${table}'`) as Array<{ name: string }>).map((r) => r.name);
}

async function legacyFromip(backend: Backend, url: string, table: string, callid: string): Promise<unknown> {
  const sql = `SELECT fromip FROM ${table} WHERE callid = '${callid}'`;
  if (backend.name === 'sqlite') {
    const db = new Database(url.slice('sqlite:'.length));
    try {
      return (db.prepare(sql).get() as { fromip: string }).fromip;
    } finally {
      db.close();
    }
  }
  const rows = (backend.name === 'postgres' ? await pgExec(sql) : await mysqlExec(sql)) as Array<{ fromip: string }>;
  return rows[0]?.fromip;
}

for (const backend of [SQLITE, POSTGRES, MYSQL]) {
  describe(`migration on ${backend.name}`, () => {
    test('an existing Kamailio v4 table gains the missing columns and keeps its rows', async (t) => {
      const dir = await mkdtemp(join(tmpdir(), 'herald-migrate-'));
      t.after(() => rm(dir, { recursive: true, force: true }));
      const url = await backend.available(t, dir);
      if (url === undefined) return;
      const table = uniqueTable('kam_v4');
      await backend.exec(url, kamailioV4(backend, table));
      t.after(() => backend.drop(url, table));
      const store = await openTraceStore(url, { table });
      t.after(() => store.close());

      const columns = await columnsOf(backend, url, table);
      for (const column of DATA_COLUMNS) assert.ok(columns.includes(column.name), `column ${column.name} added`);
      const [legacy] = await store.byCallId('legacy-call');
      assert.equal(legacy.tracedUser, 'alice');
      assert.equal(legacy.timeUs, Date.UTC(2026, 10, 20, 8) * 1000 + 5);
      assert.equal(legacy.fromIp, '', 'new columns take their defaults on old rows');

      await store.insertBatch([makeRow({ callid: 'new-call', fromProto: 'tcp', fromIp: '10.9.9.9', fromPort: 5061 })]);
      assert.equal(await legacyFromip(backend, url, table, 'new-call'), 'tcp:10.9.9.9:5061', 'Kamailio tools still see fromip');
      assert.equal((await store.search({ ip: '10.9.9.9' })).length, 1);

      // A plain (unpartitioned) old table, PostgreSQL included, is trimmed by chunked DELETEs.
      const retention = await store.applyRetention(1, Date.UTC(2026, 10, 22, 12));
      assert.deepEqual(retention, { deletedRows: 1, droppedPartitions: [] });
      assert.deepEqual((await store.search({})).map((row) => row.callid), ['new-call']);
    });
  });
}

test('the seed OpenSER table on MariaDB migrates, and its date column keeps being filled', async (t) => {
  const url = await MYSQL.available(t, '');
  if (url === undefined) return;
  const table = uniqueTable('openser');
  await mysqlExec(openserTable(table));
  t.after(() => MYSQL.drop(url, table));
  const store = await openTraceStore(url, { table });
  t.after(() => store.close());
  await store.insertBatch([makeRow({ callid: 'seed-call', timeUs: Date.UTC(2026, 10, 22, 5, 21, 46) * 1000 })]);
  const rows = await mysqlExec(`SELECT date, time_stamp FROM \`${table}\` WHERE callid = 'seed-call'`) as Array<Record<string, unknown>>;
  assert.equal(new Date(rows[0].date as Date).getTime(), new Date(rows[0].time_stamp as Date).getTime());
  const version = await mysqlExec(`SELECT version FROM herald_schema WHERE table_name = '${table}'`) as Array<{ version: number }>;
  assert.equal(version[0].version, SCHEMA_VERSION);
  const indexes = await mysqlExec(`SELECT DISTINCT index_name AS name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = '${table}'`) as Array<{ name: string }>;
  const names = indexes.map((row) => row.name).sort();
  assert.ok(names.includes('call_id') && !names.includes(`${table}_callid_idx`), 'the existing call-id index is reused, not duplicated');
  assert.ok(names.includes(`${table}_time_stamp_idx`) && names.includes(`${table}_ip_idx`), 'missing indexes are added');
});
